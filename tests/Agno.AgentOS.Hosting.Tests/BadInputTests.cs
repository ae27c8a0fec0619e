using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>Bad input gets the answer AgentOS (FastAPI) gives it: 400 for an unparsable form, 422 with its errors for bad JSON, JSON 404/405 bodies.</summary>
public sealed class BadInputTests
{
    private const string Truncated = "--abc\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhi\r\n--abc\r\nContent-Disp";

    [Theory]
    [InlineData("abc", Truncated)]
    [InlineData("zzz", Truncated)]
    [InlineData("abc", "--abc\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nno closing boundary")]
    public async Task A_malformed_multipart_body_is_a_400(string boundary, string body)
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");

        using var response = await http.PostAsync("agents/echo-agent/runs", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("There was an error parsing the body", await DetailAsync(response));
    }

    [Theory]
    [InlineData("agents/echo-agent/runs")]
    [InlineData("teams/echo-team/runs")]
    [InlineData("workflows/echo-workflow/runs")]
    [InlineData("agents/echo-agent/runs/run-1/continue")]
    [InlineData("teams/echo-team/runs/run-1/continue")]
    public async Task A_malformed_multipart_body_is_a_400_on_every_route_that_takes_a_form(string route)
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var truncated = new ByteArrayContent(Encoding.UTF8.GetBytes(Truncated));
        truncated.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=abc");
        var noBoundary = new ByteArrayContent(Encoding.UTF8.GetBytes(Truncated));
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");

        using var first = await http.PostAsync(route, truncated);
        using var second = await http.PostAsync(route, noBoundary);

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (first.StatusCode, second.StatusCode));
        Assert.Equal("There was an error parsing the body", await DetailAsync(first));
        Assert.Equal("There was an error parsing the body", await DetailAsync(second));
    }

    [Fact]
    public async Task Creating_a_session_from_a_multipart_form_is_a_422_and_stores_nothing()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var form = new MultipartFormDataContent("xyz") { { new StringContent("from-multipart"), "session_id" } };

        var errors = await ErrorsAsync(await http.PostAsync("sessions?type=agent", form));
        var sessions = JsonNode.Parse(await http.GetStringAsync("sessions?type=agent"))!;

        Assert.Equal(("model_attributes_type", "body"), (errors[0]!["type"]!.GetValue<string>(), errors[0]!["loc"]![0]!.GetValue<string>()));
        Assert.Contains("from-multipart", errors[0]!["input"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, sessions["meta"]!["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Creating_a_session_from_invalid_or_wrongly_typed_json_is_a_422_and_stores_nothing()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var invalid = await ErrorsAsync(await http.PostAsync("sessions?type=agent", Raw("{\"session_id\": ", "application/json")));
        var array = await ErrorsAsync(await http.PostAsync("sessions?type=agent", Raw("[1, 2]", "application/json")));
        var typed = await ErrorsAsync(await http.PostAsync("sessions?type=agent", Raw("{\"session_name\": 5, \"session_state\": \"x\", \"user_id\": null}", "application/json")));
        var form = await ErrorsAsync(await http.PostAsync("sessions?type=agent", new FormUrlEncodedContent(new Dictionary<string, string> { ["session_id"] = "from-form" })));
        var both = await ErrorsAsync(await http.PostAsync("sessions?type=bogus", Raw("[]", "application/json")));
        var sessions = JsonNode.Parse(await http.GetStringAsync("sessions?type=agent"))!;

        Assert.Equal(("json_invalid", "JSON decode error", 15), (invalid[0]!["type"]!.GetValue<string>(), invalid[0]!["msg"]!.GetValue<string>(), invalid[0]!["loc"]![1]!.GetValue<int>()));
        Assert.Equal("body", invalid[0]!["loc"]![0]!.GetValue<string>());
        Assert.Equal(("model_attributes_type", "[1,2]"), (array[0]!["type"]!.GetValue<string>(), array[0]!["input"]!.ToJsonString()));
        Assert.Equal(["string_type:session_name", "dict_type:session_state"], typed.Select(e => $"{e!["type"]}:{e["loc"]![1]}"));
        Assert.Equal(5, typed[0]!["input"]!.GetValue<int>());
        Assert.Equal(("model_attributes_type", "session_id=from-form"), (form[0]!["type"]!.GetValue<string>(), form[0]!["input"]!.GetValue<string>()));
        Assert.Equal(["enum", "model_attributes_type"], both.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal(0, sessions["meta"]!["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Updating_a_session_with_invalid_json_is_a_422_and_changes_nothing()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var created = await http.PostAsync("sessions?type=agent", Raw("{\"session_id\": \"s\", \"session_name\": \"kept\"}", "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var invalid = await ErrorsAsync(await http.PatchAsync("sessions/s", Raw("{session_name: 'x'}", "application/json")));
        var missing = await ErrorsAsync(await http.PatchAsync("sessions/s", Raw(string.Empty, "application/json")));
        var typed = await ErrorsAsync(await http.PatchAsync("sessions/s", Raw("{\"metadata\": [1]}", "application/json")));
        var rename = await ErrorsAsync(await http.PostAsync("sessions/s/rename", Raw("{\"session_name\": 7}", "application/json")));
        var renameInvalid = await ErrorsAsync(await http.PostAsync("sessions/s/rename", Raw("{", "application/json")));
        var renameForm = await ErrorsAsync(await http.PostAsync("sessions/s/rename", Raw("session_name=x", "application/x-www-form-urlencoded")));
        var renameArray = await ErrorsAsync(await http.PostAsync("sessions/s/rename", Raw("[\"x\"]", "application/json")));
        var renameEmpty = await ErrorsAsync(await http.PostAsync("sessions/s/rename", Raw(string.Empty, "application/json")));
        var after = JsonNode.Parse(await http.GetStringAsync("sessions/s"))!;

        Assert.Equal("json_invalid", invalid[0]!["type"]!.GetValue<string>());
        Assert.Equal(("missing", "[\"body\"]"), (missing[0]!["type"]!.GetValue<string>(), missing[0]!["loc"]!.ToJsonString()));
        Assert.Equal("dict_type", typed[0]!["type"]!.GetValue<string>());
        Assert.Equal("string_type", rename[0]!["type"]!.GetValue<string>());
        Assert.Equal("json_invalid", renameInvalid[0]!["type"]!.GetValue<string>());
        Assert.All(new[] { renameForm, renameArray, renameEmpty }, errors =>
            Assert.Equal(("missing", "[\"body\",\"session_name\"]"), (errors.Single()!["type"]!.GetValue<string>(), errors[0]!["loc"]!.ToJsonString())));
        Assert.Equal("kept", after["session_name"]!.GetValue<string>());
        Assert.False(after.AsObject().ContainsKey("metadata"));
    }

    [Fact]
    public async Task Deleting_sessions_in_bulk_with_a_bad_body_is_FastAPIs_422_and_deletes_nothing()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await host.CreateClient().RunAgentAsync("echo-agent", new RunRequest("kept") { SessionId = "kept-s" });
        async Task<JsonArray> Delete(HttpContent? content)
            => await ErrorsAsync(await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "sessions") { Content = content }));

        var none = await Delete(null);
        var invalid = await Delete(Raw("{\"session_ids\": [", "application/json"));
        var empty = await Delete(Raw("{}", "application/json"));
        var tooShort = await Delete(Raw("{\"session_ids\": [], \"session_types\": []}", "application/json"));
        var typed = await Delete(Raw("{\"session_ids\": [\"kept-s\", 7], \"session_types\": [\"agent\", \"bogus\"]}", "application/json"));
        var notAList = await Delete(Raw("{\"session_ids\": \"kept-s\", \"session_types\": [\"agent\"]}", "application/json"));
        using var mismatch = await http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "sessions") { Content = Raw("{\"session_ids\": [\"kept-s\"], \"session_types\": [\"agent\", \"team\"]}", "application/json") });

        Assert.Equal("[{\"type\":\"missing\",\"loc\":[\"body\"],\"msg\":\"Field required\",\"input\":null}]", none.ToJsonString());
        Assert.Equal("json_invalid", invalid[0]!["type"]!.GetValue<string>());
        Assert.Equal(["missing:session_ids", "missing:session_types"], empty.Select(e => $"{e!["type"]}:{e["loc"]![1]}"));
        Assert.Equal(
            "{\"type\":\"too_short\",\"loc\":[\"body\",\"session_ids\"],\"msg\":\"List should have at least 1 item after validation, not 0\",\"input\":[],\"ctx\":{\"field_type\":\"List\",\"min_length\":1,\"actual_length\":0}}",
            tooShort[0]!.ToJsonString());
        Assert.Equal(2, tooShort.Count);
        Assert.Equal(["string_type:[\"body\",\"session_ids\",1]", "enum:[\"body\",\"session_types\",1]"], typed.Select(e => $"{e!["type"]}:{e["loc"]!.ToJsonString()}"));
        Assert.Equal("'agent', 'team' or 'workflow'", typed[1]!["ctx"]!["expected"]!.GetValue<string>());
        Assert.Equal(("list_type", "kept-s"), (notAList[0]!["type"]!.GetValue<string>(), notAList[0]!["input"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "Session IDs and session types must have the same length"), (mismatch.StatusCode, await DetailAsync(mismatch)));
        Assert.Equal("kept", (await host.CreateClient().GetSessionAsync("kept-s", SessionType.Agent)).SessionName);
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_answer_FastAPIs_json_bodies()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic, securityKey: "k");
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var unknown = await http.GetAsync("no/such/route");
        using var wrongMethod = await http.DeleteAsync("health");
        using var wrongMethodOnRun = await http.PutAsync("agents/echo-agent/runs", Raw("x", "text/plain"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/json", unknown.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"detail\":\"Not Found\"}", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("{\"detail\":\"Method Not Allowed\"}", await wrongMethod.Content.ReadAsStringAsync());
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethodOnRun.StatusCode);
        Assert.Equal("Method Not Allowed", await DetailAsync(wrongMethodOnRun));
    }

    [Fact]
    public async Task HEAD_and_OPTIONS_get_FastAPIs_answers_405_on_a_GET_route_and_404_on_an_unknown_path()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        // FastAPI's GET routes take no HEAD (fastapi#1773); uvicorn sends the JSON error's headers without its body
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "health"));
        using var headUnknown = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "no/such/route"));
        using var options = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "health"));
        using var optionsUnknown = await http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "no/such/route"));

        Assert.Equal((HttpStatusCode.MethodNotAllowed, "application/json"), (head.StatusCode, head.Content.Headers.ContentType?.MediaType));
        Assert.Equal(["GET"], head.Content.Headers.Allow);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal((HttpStatusCode.NotFound, "application/json"), (headUnknown.StatusCode, headUnknown.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, options.StatusCode);
        Assert.Equal("{\"detail\":\"Method Not Allowed\"}", await options.Content.ReadAsStringAsync());
        Assert.Equal(["GET"], options.Content.Headers.Allow);
        Assert.Equal(HttpStatusCode.NotFound, optionsUnknown.StatusCode);
        Assert.Equal("{\"detail\":\"Not Found\"}", await optionsUnknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_endpoints_own_404_keeps_its_text()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var agent = await http.GetAsync("agents/nobody");

        Assert.Equal("Agent not found", await DetailAsync(agent));
    }

    [Fact]
    public async Task A_huge_page_size_is_accepted_as_AgentOS_accepts_it_and_below_one_is_a_422()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await host.CreateClient().RunAgentAsync("echo-agent", new RunRequest("one") { SessionId = "s1" });

        using var huge = await http.GetAsync("sessions?type=agent&limit=1000000000000");
        var page = JsonNode.Parse(await huge.Content.ReadAsStringAsync())!;
        var zero = await ErrorsAsync(await http.GetAsync("sessions?limit=0"));
        var word = await ErrorsAsync(await http.GetAsync("sessions?limit=many"));

        Assert.Equal(HttpStatusCode.OK, huge.StatusCode);
        Assert.Equal((1000000000000L, 1, 1), (page["meta"]!["limit"]!.GetValue<long>(), page["meta"]!["total_pages"]!.GetValue<int>(), page["data"]!.AsArray().Count));
        Assert.Equal(("greater_than_equal", "Input should be greater than or equal to 1"), (zero[0]!["type"]!.GetValue<string>(), zero[0]!["msg"]!.GetValue<string>()));
        Assert.Equal("int_parsing", word[0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Listing_a_components_runs_of_a_session_that_is_not_its_own_is_AgentOS_404()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await client.RunAgentAsync("echo-agent", new RunRequest("one") { SessionId = "agent-s" });
        await client.RunTeamAsync("echo-team", new RunRequest("two") { SessionId = "team-s" });
        await client.RunWorkflowAsync("echo-workflow", new RunRequest("three") { SessionId = "wf-s" });

        foreach (var path in new[]
        {
            "agents/echo-agent/runs?session_id=nowhere", "agents/tool-agent/runs?session_id=agent-s", "agents/echo-agent/runs?session_id=team-s",
            "teams/echo-team/runs?session_id=nowhere", "teams/echo-team/runs?session_id=agent-s",
            "workflows/echo-workflow/runs?session_id=nowhere", "workflows/echo-workflow/runs?session_id=team-s",
        })
        {
            using var response = await http.GetAsync(path);
            Assert.Equal((HttpStatusCode.NotFound, "Session not found"), (response.StatusCode, await DetailAsync(response)));
        }

        Assert.Single(await client.ListAgentRunsAsync("echo-agent", "agent-s"));
        Assert.Single(JsonNode.Parse(await http.GetStringAsync("teams/echo-team/runs?session_id=team-s"))!.AsArray());
        Assert.Single(JsonNode.Parse(await http.GetStringAsync("workflows/echo-workflow/runs?session_id=wf-s"))!.AsArray());
    }

    private static ByteArrayContent Raw(string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task<JsonArray> ErrorsAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.AsArray();
        }
    }
}
