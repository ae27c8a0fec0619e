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
        var expectedFiles = expectedParts.Where(p => p.FileName is not null).ToList();
        var actualFiles = actualParts.Where(p => p.FileName is not null).ToList();
        Assert.Equal(expectedFiles.Count, actualFiles.Count);
        for (int i = 0; i < expectedFiles.Count; i++)
        {
            Assert.Equal(expectedFiles[i].Name, actualFiles[i].Name);
            Assert.Equal(expectedFiles[i].FileName, actualFiles[i].FileName);
            Assert.Equal(expectedFiles[i].ContentType, actualFiles[i].ContentType);
            Assert.Equal(expectedFiles[i].Bytes, actualFiles[i].Bytes);
        }

        foreach (var e in expectedParts.Where(p => p.FileName is null))
        {
            var a = actualParts.First(p => p.Name == e.Name && p.FileName is null);
            AssertValueEqual(e.Name, e.Value, a.Value);
        }

        if (checkAuthorization)
        {
            Assert.Equal(expected.RequestHeader("Authorization"), actual.Authorization);
        }
    }

    public static void AssertValueEqual(string name, string? expected, string? actual)
    {
        if (expected is not null && actual is not null && TryParseJson(expected, out var expectedJson) && TryParseJson(actual, out var actualJson))
        {
            var e = Normalize(expectedJson);
            var a = Normalize(actualJson);
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

    private static bool TryParseJson(string s, out JsonNode? node)
    {
        node = null;
        if (s.TrimStart() is not (['{', ..] or ['[', ..]))
        {
            return false;
        }

        try
        {
            node = JsonNode.Parse(s);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

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
