using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>Which kind of component emits an event.</summary>
internal enum EmitterScope
{
    Agent,
    Team,
    Workflow,
}

/// <summary>A workflow step an agent or team runs in (its events carry these fields).</summary>
internal sealed record StepContext(string WorkflowId, string WorkflowRunId, string StepId, string StepName, int StepIndex);

/// <summary>The identity fields every event of one run carries.</summary>
internal sealed class EventSource
{
    public required EmitterScope Scope { get; init; }

    public required string ComponentId { get; init; }

    public required string ComponentName { get; init; }

    public required string RunId { get; init; }

    public required string SessionId { get; init; }

    /// <summary>The parent run (a team member's events carry the team run).</summary>
    public string? ParentRunId { get; init; }

    /// <summary>Whether events write <see cref="ParentRunId"/> (team members do; workflow step agents do not).</summary>
    public bool EmitParentRunId { get; init; }

    public StepContext? Step { get; init; }

    public int NestedDepth { get; init; }
}

/// <summary>The step fields of a workflow event.</summary>
internal sealed record WorkflowStepRef(string StepId, string StepName, int StepIndex, bool WriteStepId = true);

/// <summary>
/// One event of a run, as the host emits it. Content deltas use the fast fields (no allocation beyond the
/// delta); other events carry their extra fields in <see cref="Payload"/>, written in order after the identity.
/// </summary>
internal sealed class HostEvent
{
    public required string Name { get; init; }

    public required EventSource Source { get; init; }

    public long CreatedAt { get; init; }

    /// <summary>Workflow events: the step.</summary>
    public WorkflowStepRef? Step { get; init; }

    /// <summary>A content delta (<c>RunContent</c> / <c>TeamRunContent</c>).</summary>
    public bool IsContent { get; init; }

    public string? Content { get; init; }

    public JsonNode? ContentObject { get; init; }

    public string ContentType { get; init; } = "str";

    public string ReasoningContent { get; init; } = string.Empty;

    /// <summary>Whether the identity fields are written (the router's own <c>WorkflowError</c> has only four fields).</summary>
    public bool Minimal { get; init; }

    public EventPayload? Payload { get; init; }

    /// <summary>Whether <see cref="Payload"/> is the whole data (the legacy <c>WorkflowRunOutput</c> event).</summary>
    public bool Raw { get; init; }

    /// <summary>Whether the event is kept in the stored run's <c>events</c> (AgentOS does not keep content deltas).</summary>
    public bool IsStored => !IsContent && !Raw;

    public void WriteTo(Utf8JsonWriter writer)
    {
        if (Raw)
        {
            if (Payload is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                Payload.WriteObject(writer);
            }

            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber("created_at", CreatedAt);
        writer.WriteString("event", Name);
        var s = Source;
        if (Minimal)
        {
            writer.WriteNumber("nested_depth", s.NestedDepth);
        }
        else if (s.Scope == EmitterScope.Workflow)
        {
            writer.WriteString("workflow_id", s.ComponentId);
            writer.WriteString("workflow_name", s.ComponentName);
            writer.WriteString("session_id", s.SessionId);
            writer.WriteString("run_id", s.RunId);
            if (Step is { WriteStepId: true })
            {
                writer.WriteString("step_id", Step.StepId);
            }

            writer.WriteNumber("nested_depth", s.NestedDepth);
            if (Step is not null)
            {
                writer.WriteString("step_name", Step.StepName);
                writer.WriteNumber("step_index", Step.StepIndex);
            }
        }
        else
        {
            bool agent = s.Scope == EmitterScope.Agent;
            writer.WriteString(agent ? "agent_id" : "team_id", s.ComponentId);
            writer.WriteString(agent ? "agent_name" : "team_name", s.ComponentName);
            writer.WriteString("run_id", s.RunId);
            if (s.EmitParentRunId && s.ParentRunId is not null)
            {
                writer.WriteString("parent_run_id", s.ParentRunId);
            }

            writer.WriteString("session_id", s.SessionId);
            if (s.Step is { } step)
            {
                writer.WriteString("workflow_id", step.WorkflowId);
                writer.WriteString("workflow_run_id", step.WorkflowRunId);
                writer.WriteString("step_id", step.StepId);
                writer.WriteString("step_name", step.StepName);
                writer.WriteNumber("step_index", step.StepIndex);
            }

            writer.WriteNumber("nested_depth", s.NestedDepth);
        }

        if (IsContent)
        {
            if (ContentObject is not null)
            {
                writer.WritePropertyName("content");
                ContentObject.WriteTo(writer);
            }
            else if (Content is not null)
            {
                writer.WriteString("content", Content);
            }

            if (s.Scope == EmitterScope.Agent)
            {
                writer.WriteBoolean("workflow_agent", false);
            }

            writer.WriteString("content_type", ContentType);
            writer.WriteString("reasoning_content", ReasoningContent);
        }

        Payload?.WriteProperties(writer);

        writer.WriteEndObject();
    }

    /// <summary>The event as a JSON object (for the stored run's <c>events</c>).</summary>
    public JsonObject ToJsonObject()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, Wire.WriterOptions))
        {
            WriteTo(writer);
        }

        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }
}
