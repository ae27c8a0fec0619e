using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>A stored run's bytes read as JSON trees, and runs built from trees (tests only: the host reads typed records).</summary>
internal static class StoredRunJson
{
    /// <summary>The run's output, parsed (a fresh tree each call).</summary>
    public static JsonObject OutputJson(this AgentOSStoredRun run) => JsonNode.Parse(run.OutputUtf8.Span)!.AsObject();

    /// <summary>The run's resume state, parsed; null when it has none.</summary>
    public static JsonObject? ResumeJson(this AgentOSStoredRun run) => run.ResumeStateUtf8.IsEmpty ? null : JsonNode.Parse(run.ResumeStateUtf8.Span)!.AsObject();

    /// <summary>A JSON object as UTF-8 bytes (compact).</summary>
    public static byte[] Utf8(JsonObject json) => JsonSerializer.SerializeToUtf8Bytes(json);
}
