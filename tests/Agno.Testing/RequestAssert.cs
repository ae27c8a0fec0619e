using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Xunit;

namespace Agno.Testing;

/// <summary>A form field or uploaded file of a request.</summary>
public sealed record FormPart(string Name, string? Value, string? FileName = null, string? ContentType = null, byte[]? Bytes = null);

/// <summary>Checks that what the client sent is what the recorded client sent.</summary>
public static class RequestAssert
{
    /// <summary>
    /// Method, path, query parameters, every form field and its value (JSON-valued fields compared as JSON,
    /// a null member equal to a missing one), uploaded files, and the Authorization header.
    /// </summary>
    public static void Matches(RecordedExchange expected, ReceivedRequest actual, bool checkAuthorization = true)
    {
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(ParseQuery(expected.Query), ParseQuery(actual.Query));

        var expectedParts = ParseBody(expected.RequestHeader("Content-Type"), expected.RequestBody);
        var actualParts = ParseBody(actual.ContentType, actual.Body);
        Assert.Equal(expectedParts.Select(p => p.Name).Order(StringComparer.Ordinal), actualParts.Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var e in expectedParts)
        {
            var a = actualParts.First(p => p.Name == e.Name && (e.FileName is null) == (p.FileName is null));
            if (e.FileName is not null)
            {
                Assert.Equal(e.FileName, a.FileName);
                Assert.Equal(e.ContentType, a.ContentType);
                Assert.Equal(e.Bytes, a.Bytes);
                continue;
            }

            AssertValueEqual(e.Name, e.Value, a.Value);
        }

        if (checkAuthorization)
        {
            Assert.Equal(expected.RequestHeader("Authorization"), actual.Authorization);
        }
    }

    public static void AssertValueEqual(string name, string? expected, string? actual)
    {
        if (expected is not null && actual is not null && LooksLikeJson(expected) && LooksLikeJson(actual))
        {
            var e = Normalize(JsonNode.Parse(expected));
            var a = Normalize(JsonNode.Parse(actual));
            Assert.True(JsonNode.DeepEquals(e, a), $"Form field '{name}' differs.\nexpected: {e?.ToJsonString()}\nactual:   {a?.ToJsonString()}");
            return;
        }

        Assert.True(expected == actual, $"Form field '{name}' differs.\nexpected: {expected}\nactual:   {actual}");
    }

    /// <summary>Parses a request body into form parts (url-encoded or multipart); JSON bodies become one part named "(json)".</summary>
    public static List<FormPart> ParseBody(string? contentType, byte[] body)
    {
        if (body.Length == 0 || contentType is null)
        {
            return [];
        }

        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return QueryHelpers.ParseQuery("?" + Encoding.UTF8.GetString(body))
                .SelectMany(kv => kv.Value.Select(v => new FormPart(kv.Key, v))).ToList();
        }

        if (contentType.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, new MemoryStream(body));
            var parts = new List<FormPart>();
            while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
            {
                var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
                using var ms = new MemoryStream();
                section.Body.CopyTo(ms);
                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value!;
                string? fileName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                parts.Add(string.IsNullOrEmpty(fileName)
                    ? new FormPart(name, Encoding.UTF8.GetString(ms.ToArray()))
                    : new FormPart(name, null, fileName, section.ContentType, ms.ToArray()));
            }

            return parts;
        }

        return [new FormPart("(json)", Encoding.UTF8.GetString(body))];
    }

    private static Dictionary<string, string> ParseQuery(string query)
        => QueryHelpers.ParseQuery(query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    private static bool LooksLikeJson(string s) => s.TrimStart() is ['{', ..] or ['[', ..];

    private static JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (v is null) { continue; }
                    copy[k] = Normalize(v);
                }

                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(Normalize)]);
            default:
                return node?.DeepClone();
        }
    }
}
