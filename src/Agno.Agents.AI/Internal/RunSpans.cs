using System.Diagnostics;
using Agno.AgentOS;

namespace Agno.Agents.AI.Internal;

/// <summary>
/// Follows MAF's own <c>invoke_agent</c> spans without doubling them. When this agent runs inside MAF's
/// <c>OpenTelemetryAgent</c> (<c>.AsBuilder().UseOpenTelemetry()</c>), the current span is MAF's
/// <c>invoke_agent</c> span of this agent (its <c>gen_ai.agent.id</c> is this agent's id): it is tagged with the
/// AgentOS component (<c>agno.component.id</c>, <c>agno.component.type</c>), which tells Agno.AgentOS's client to
/// record its HTTP-level span beneath it rather than a second <c>invoke_agent</c> span. Any other current span
/// (another agent's, a tool's) is left alone, and the client records its own <c>invoke_agent</c> span.
/// </summary>
internal static class RunSpans
{
    public const string ComponentIdTag = "agno.component.id";

    public static void AdoptWrappingSpan(Activity? current, string agentId, RemoteComponent component)
    {
        if (current is null
            || current.GetTagItem("gen_ai.operation.name") as string != "invoke_agent"
            || current.GetTagItem("gen_ai.agent.id") as string != agentId)
        {
            return;
        }

        current.SetTag(ComponentIdTag, component.Id);
        current.SetTag("agno.component.type", ComponentKinds.Name(component.Kind));
    }
}
