// Compiled into each store package (Agno.AgentOS.Hosting.Sqlite, Agno.AgentOS.Hosting.PostgreSql) as a linked source
// file: the packages share only public API, and this reader of their common legacy format is internal to each.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Hosting.Stores;

/// <summary>Reads a session of a store's version-1 table, which kept a whole session as one JSON document.</summary>
internal static class Version1Sessions
{
    /// <summary>
    /// A session of the version-1 table: one JSON document, its own fields and its runs (each with its output and
    /// resume state as JSON objects), read as the session's fields and runs of UTF-8 bytes.
    /// </summary>
    /// <param name="data">The stored document.</param>
    /// <param name="session">The store's contract for <see cref="AgentOSSession"/>.</param>
    /// <param name="node">The store's contract for <see cref="JsonNode"/> (how a run's JSON is written as UTF-8).</param>
    /// <returns>The session's own fields and its runs.</returns>
    /// <exception cref="InvalidDataException">The document, or one of its runs, is not what version 1 wrote.</exception>
    public static (AgentOSSession Session, List<AgentOSStoredRun> Runs) Read(string data, JsonTypeInfo<AgentOSSession> session, JsonTypeInfo<JsonNode> node)
    {
        var document = JsonNode.Parse(data) as JsonObject ?? throw new InvalidDataException("A stored session is not a JSON object.");
        var runs = new List<AgentOSStoredRun>();
        if (document["runs"] is JsonArray stored)
        {
            foreach (var run in stored.OfType<JsonObject>())
            {
                runs.Add(new AgentOSStoredRun
                {
                    RunId = run["run_id"]?.GetValue<string>() ?? throw new InvalidDataException("A stored run has no run_id."),
                    OutputUtf8 = run["output"] is JsonObject output ? JsonSerializer.SerializeToUtf8Bytes(output, node) : throw new InvalidDataException("A stored run is not a JSON object."),
                    ResumeStateUtf8 = run["resume_state"] is JsonObject resume ? JsonSerializer.SerializeToUtf8Bytes(resume, node) : default,
                });
            }

            document.Remove("runs");
        }

        var fields = document.Deserialize(session) ?? throw new InvalidDataException("A stored session is null.");
        return (fields, runs);
    }
}
