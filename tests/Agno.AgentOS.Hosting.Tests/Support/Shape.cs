using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>An SSE frame: the <c>event:</c> name, the data JSON and the raw data line.</summary>
internal sealed record SseFrame(string Name, JsonNode? Data, string RawData, string RawFrame);

/// <summary>
/// Compares the structure of two AgentOS responses: field names, JSON kinds, array lengths, event names and
/// their order; ids, timestamps and model text are ignored, except for values that carry meaning (event names,
/// statuses, roles, error details, ...).
/// </summary>
internal static class Shape
{
    /// <summary>Keys whose values must be equal, not only of the same kind.</summary>
    private static readonly HashSet<string> ExactKeys = new(StringComparer.Ordinal)
    {
        "event", "status", "content_type", "role", "session_type", "step_type", "executor_type", "pause_kind", "auth_mode",
        "detail", "type", "msg", "loc", "tool_name", "field_type", "on_reject", "mode", "provider", "model_provider",
        "agent_id", "team_id", "workflow_id", "agent_name", "team_name", "workflow_name", "step_name", "step_index",
        "member_agent_id", "error_type", "requires_confirmation", "requires_user_input", "external_execution_required",
        "confirmed", "from_history", "nested_depth", "success", "is_paused", "stop",
    };

    public static IReadOnlyList<SseFrame> ParseSse(byte[] body)
    {
        var frames = new List<SseFrame>();
        string text = Encoding.UTF8.GetString(body);
        foreach (var raw in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = raw.Split('\n');
            string name = lines[0].StartsWith("event: ", StringComparison.Ordinal) ? lines[0][7..] : string.Empty;
            string data = lines.Length > 1 && lines[1].StartsWith("data: ", StringComparison.Ordinal) ? lines[1][6..] : string.Empty;
            frames.Add(new SseFrame(name, data.Length == 0 ? null : JsonNode.Parse(data), data, raw));
        }

        return frames;
    }

    /// <summary>Collapses consecutive content deltas of the same shape (their count depends on the model's chunking).</summary>
    public static List<SseFrame> Collapse(IReadOnlyList<SseFrame> frames)
    {
        var result = new List<SseFrame>();
        foreach (var f in frames)
        {
            if (result.Count > 0 && f.Name is "RunContent" or "TeamRunContent" && result[^1].Name == f.Name && Keys(result[^1].Data) == Keys(f.Data))
            {
                continue;
            }

            result.Add(f);
        }

        return result;
    }

    private static string Keys(JsonNode? node) => node is JsonObject o ? string.Join(',', o.Select(kv => kv.Key)) : string.Empty;

    public static List<string> Compare(JsonNode? expected, JsonNode? actual, string path = "$")
    {
        var diffs = new List<string>();
        CompareInto(expected, actual, path, null, diffs);
        return diffs;
    }

    public static List<string> CompareStreams(IReadOnlyList<SseFrame> expected, IReadOnlyList<SseFrame> actual)
    {
        var diffs = new List<string>();
        var e = Collapse(expected);
        var a = Collapse(actual);
        var en = e.Select(f => f.Name).ToList();
        var an = a.Select(f => f.Name).ToList();
        if (!en.SequenceEqual(an))
        {
            diffs.Add($"event sequence differs:\n  expected: {string.Join(", ", en)}\n  actual:   {string.Join(", ", an)}");
            return diffs;
        }

        for (int i = 0; i < e.Count; i++)
        {
            CompareInto(e[i].Data, a[i].Data, $"[{i}:{e[i].Name}]", null, diffs);
        }

        return diffs;
    }

    /// <summary>Checks AgentOS's SSE framing: <c>event: X\ndata: {compact JSON naming X}\n\n</c>, nothing else.</summary>
    public static List<string> CheckFraming(byte[] body)
    {
        var diffs = new List<string>();
        string text = Encoding.UTF8.GetString(body);
        if (!text.EndsWith("\n\n", StringComparison.Ordinal))
        {
            diffs.Add("stream does not end with a blank line");
        }

        foreach (var frame in ParseSse(body))
        {
            var lines = frame.RawFrame.Split('\n');
            if (lines.Length != 2 || !lines[0].StartsWith("event: ", StringComparison.Ordinal) || !lines[1].StartsWith("data: ", StringComparison.Ordinal))
            {
                diffs.Add($"bad frame: {frame.RawFrame[..Math.Min(80, frame.RawFrame.Length)]}");
                continue;
            }

            if (frame.Name != "WorkflowRunOutput" && frame.Data?["event"]?.GetValue<string>() != frame.Name)
            {
                diffs.Add($"frame {frame.Name}: data.event differs");
            }

            if (frame.RawData.Contains("\": ", StringComparison.Ordinal) && !frame.RawData.Contains("\":", StringComparison.Ordinal))
            {
                diffs.Add($"frame {frame.Name}: JSON is not compact");
            }
        }

        return diffs;
    }

    private static void CompareInto(JsonNode? expected, JsonNode? actual, string path, string? key, List<string> diffs)
    {
        var ek = Kind(expected);
        var ak = Kind(actual);
        if (ek != ak)
        {
            diffs.Add($"{path}: expected {ek}, got {ak}");
            return;
        }

        switch (expected)
        {
            case JsonObject eo:
                var ao = (JsonObject)actual!;
                foreach (var (k, v) in eo)
                {
                    if (!ao.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: missing");
                        continue;
                    }

                    CompareInto(v, ao[k], $"{path}.{k}", k, diffs);
                }

                foreach (var (k, _) in ao)
                {
                    if (!eo.ContainsKey(k))
                    {
                        diffs.Add($"{path}.{k}: unexpected");
                    }
                }

                break;
            case JsonArray ea when key == "data" && actual is JsonArray unordered:
                // Pages of sessions: the order of equal timestamps is the database's; compare as a multiset of shapes.
                if (ea.Count != unordered.Count)
                {
                    diffs.Add($"{path}: expected {ea.Count} items, got {unordered.Count}");
                }

                var expectedSorted = ea.OrderBy(Signature).ToList();
                var actualSorted = unordered.OrderBy(Signature).ToList();
                for (int i = 0; i < Math.Min(expectedSorted.Count, actualSorted.Count); i++)
                {
                    CompareInto(expectedSorted[i], actualSorted[i], $"{path}[{i}]", null, diffs);
                }

                break;
            case JsonArray ea:
                var aa = (JsonArray)actual!;
                if (ea.Count != aa.Count && key != "loc")
                {
                    diffs.Add($"{path}: expected {ea.Count} items, got {aa.Count}");
                }

                for (int i = 0; i < Math.Min(ea.Count, aa.Count); i++)
                {
                    CompareInto(ea[i], aa[i], $"{path}[{i}]", key, diffs);
                }

                if (key == "loc" && ea.ToJsonString() != aa.ToJsonString())
                {
                    diffs.Add($"{path}: expected {ea.ToJsonString()}, got {aa.ToJsonString()}");
                }

                break;
            case JsonValue ev when key is not null && ExactKeys.Contains(key):
                string es = ev.ToJsonString();
                string @as = actual!.ToJsonString();
                if (es != @as)
                {
                    diffs.Add($"{path}: expected {es}, got {@as}");
                }

                break;
        }
    }

    private static string Signature(JsonNode? node) => node is JsonObject o ? string.Join(',', o.Select(kv => kv.Key).Order(StringComparer.Ordinal)) : Kind(node);

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.Number => "number",
            JsonValueKind.True or JsonValueKind.False => "bool",
            _ => "null",
        },
        _ => "?",
    };
}
