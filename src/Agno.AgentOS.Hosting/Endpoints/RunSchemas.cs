using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>AgentOS's <c>RunSchema</c> / <c>TeamRunSchema</c> / <c>WorkflowRunSchema</c>: a stored run as run lists and session endpoints show it.</summary>
internal static class RunSchemas
{
    public static JsonObject From(JsonObject output, bool keepNulls)
    {
        var o = new JsonObject
        {
            ["run_id"] = output.GetString("run_id"),
            ["parent_run_id"] = output.GetString("parent_run_id") ?? string.Empty,
        };
        bool workflow = output.ContainsKey("workflow_id") && !output.ContainsKey("agent_id");
        foreach (var key in new[] { "agent_id", "team_id", "workflow_id" })
        {
            if (output.GetString(key) is { } id && (key != "workflow_id" || workflow))
            {
                o[key] = id;
            }
        }

        o["user_id"] = output.GetString("user_id");
        o["status"] = output.GetString("status");
        var input = output["input"];
        o["run_input"] = input is JsonObject inputObject ? inputObject["input_content"]?.DeepClone() : input?.DeepClone();
        o["content"] = output["content"]?.DeepClone();
        if (workflow)
        {
            o["content_type"] = output.GetString("content_type") ?? "str";
        }

        o["run_response_format"] = output["content"] is JsonObject or JsonArray ? "json" : "text";
        o["reasoning_content"] = output.GetString("reasoning_content") ?? string.Empty;
        o["reasoning_steps"] = new JsonArray();
        o["metrics"] = output["metrics"]?.DeepClone();
        if (!workflow)
        {
            o["messages"] = output["messages"]?.DeepClone() ?? new JsonArray();
            o["tools"] = output["tools"] is JsonArray { Count: > 0 } tools ? tools.DeepClone() : null;
        }

        o["events"] = output["events"] is JsonArray { Count: > 0 } events ? events.DeepClone() : null;
        o["created_at"] = output.GetLong("created_at") is { } created ? Wire.IsoSeconds(DateTimeOffset.FromUnixTimeSeconds(created)) : null;
        if (workflow)
        {
            o["step_results"] = output["step_results"]?.DeepClone();
            o["step_executor_runs"] = output["step_executor_runs"]?.DeepClone();
            o["step_requirements"] = output["step_requirements"]?.DeepClone();
            o["pause_kind"] = output["pause_kind"]?.DeepClone();
            o["paused_step_name"] = output["paused_step_name"]?.DeepClone();
            o["paused_step_index"] = output["paused_step_index"]?.DeepClone();
        }

        o["references"] = new JsonArray();
        o["citations"] = null;
        o["reasoning_messages"] = new JsonArray();
        o["session_state"] = output["session_state"]?.DeepClone() ?? new JsonObject();
        o["images"] = new JsonArray();
        o["videos"] = new JsonArray();
        o["audio"] = new JsonArray();
        o["files"] = new JsonArray();
        o["response_audio"] = null;
        o["input_media"] = new JsonObject
        {
            ["images"] = (input as JsonObject)?["images"]?.DeepClone() ?? new JsonArray(),
            ["videos"] = (input as JsonObject)?["videos"]?.DeepClone() ?? new JsonArray(),
            ["audios"] = (input as JsonObject)?["audio"]?.DeepClone() ?? new JsonArray(),
            ["files"] = (input as JsonObject)?["files"]?.DeepClone() ?? new JsonArray(),
        };
        o["followups"] = null;
        o["forked_from_run_id"] = null;
        o["forked_from_message_index"] = null;
        o["forked_from_session_id"] = null;
        o["regenerated_from"] = null;
        o["last_checkpoint_at_message_index"] = null;
        if (!keepNulls)
        {
            foreach (var key in o.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
            {
                o.Remove(key);
            }
        }

        return o;
    }
}
