using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>Raw HTTP to a host: request bodies (JSON, form, a bulk delete of sessions) and the <c>detail</c> of its errors.</summary>
internal static class HostHttp
{
    /// <summary>An HTTP client on the host's address (the routes as a caller other than the core client sends them).</summary>
    public static HttpClient CreateHttpClient(this EmbeddedAgentOS host) => new() { BaseAddress = host.BaseAddress };

    /// <summary>A JSON request body.</summary>
    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>A form (<c>application/x-www-form-urlencoded</c>) request body.</summary>
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields)
        => new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>A bulk delete (<c>DELETE /sessions</c>) of these agent sessions, at that path (with its query).</summary>
    public static Task<HttpResponseMessage> DeleteSessionsAsync(this HttpClient http, string path, params string[] ids)
    {
        var body = new JsonObject { ["session_ids"] = new JsonArray([.. ids.Select(id => (JsonNode?)id)]), ["session_types"] = new JsonArray([.. ids.Select(_ => (JsonNode?)"agent")]) };
        return http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, path) { Content = Json(body) });
    }

    /// <summary>The <c>detail</c> string of an error answer.</summary>
    public static async Task<string> DetailAsync(HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>();

    /// <summary>Asserts the answer is a 404 and returns its <c>detail</c> (the answer is disposed).</summary>
    public static async Task<string> NotFoundAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            return await DetailAsync(response);
        }
    }
}
