using Xunit;

namespace Agno.Samples.Tests;

/// <summary>
/// Each sample runs as users run it (a console program against its embedded AgentOS), exits 0 and prints, in order,
/// the lines that show each part worked. One class, so the samples run one after another.
/// </summary>
public sealed class SampleSmokeTests
{
    private const string Offline = "Server: embedded AgentOS at http://127.0.0.1:";

    [Fact]
    public async Task Quickstart_discovers_runs_streams_remembers_uses_tools_continues_and_cancels()
    {
        var run = await SampleProcess.RunAsync("Quickstart");

        run.AssertSucceededPrinting(
            Offline,
            "agent     assistant",
            "team      research-team",
            "workflow  report-workflow",
            "== 2. A run",
            "You asked: \"What is AgentOS?\"",
            "status COMPLETED)",
            "== 3. A streamed run",
            "You asked: \"Tell me about streaming.\"",
            "status COMPLETED)",
            "agent: Nice to meet you, Ada.",
            "agent: Your name is Ada.",
            "holds 4 messages on the server",
            "research-team(\"AgentOS\") -> Team findings: On \"AgentOS\"",
            "report-workflow(\"AgentOS\") -> REPORT: AgentOS in three points",
            "status PAUSED: delete_record({\"record_id\":\"rec-42\"}) needs approval",
            "approved -> status COMPLETED: Done: Record rec-42 deleted.",
            "tick 1 tick 2 tick 3 [cancel sent]",
            "status CANCELLED after 3 ticks",
            "== Done");
    }

    [Fact]
    public async Task StandaloneRunner_runs_and_streams_a_remote_agent_team_and_workflow()
    {
        var run = await SampleProcess.RunAsync("StandaloneRunner");

        run.AssertSucceededPrinting(
            Offline,
            "== Remote agent 'assistant'",
            "run:    You asked: \"What is AgentOS?\"",
            "status COMPLETED",
            "stream: You asked: \"Tell me about streaming.\"",
            "events: RunStarted,",
            "RunContent x",
            ", RunCompleted",
            "== Remote team 'research-team'",
            "member Researcher: Finds facts about a topic",
            "[leader] calls delegate_task_to_member({\"member_id\":\"researcher\",\"task\":\"What is AgentOS?\"})",
            "[member Researcher] On \"What is AgentOS?\": agents are served over HTTP",
            "leader's answer: Team findings: On \"What is AgentOS?\"",
            "events from the team itself",
            "from its members (nested)",
            "== Remote workflow 'report-workflow'",
            "steps: draft -> polish",
            "WorkflowStarted",
            "StepStarted draft",
            "[Writer] AgentOS in three points",
            "StepCompleted draft: AgentOS in three points: typed client, streaming, sessions.",
            "StepStarted polish",
            "StepCompleted polish: REPORT: AgentOS in three points",
            "WorkflowCompleted: REPORT: AgentOS in three points",
            "status COMPLETED:",
            "from the steps' agents",
            "== Done");
        Assert.DoesNotContain(" 0 from its members", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_re_exposes_the_remote_components_and_passes_runs_streams_and_continues_through()
    {
        var run = await SampleProcess.RunAsync("Gateway");

        run.AssertSucceededPrinting(
            "Upstream: embedded AgentOS at http://127.0.0.1:",
            "Gateway:  .NET AgentOS at http://127.0.0.1:",
            "gateway-os: One AgentOS over local and remote components.",
            "agent     gateway-agent    local ",
            "agent     assistant        remote ",
            "agent     ops-agent        remote ",
            "team      research-team    remote ",
            "workflow  report-workflow  remote ",
            "local agent:  Gateway agent heard: hello (turn 1)",
            "remote agent: Nice to meet you, Ada. / Your name is Ada.",
            "[Researcher] On \"What is AgentOS?\": agents are served over HTTP",
            "leader's answer: Team findings: On \"What is AgentOS?\"",
            "status COMPLETED",
            "same event sequence as a direct stream from the upstream: True",
            "status PAUSED: delete_record({\"record_id\":\"rec-7\"}) needs approval",
            "approved -> status COMPLETED: Done: Record rec-7 deleted.",
            "AgentOSAuthenticationException: 401",
            "== Done");
    }

    [Fact]
    public async Task ClientTour_shows_discovery_configuration_sessions_errors_and_cancellation()
    {
        var run = await SampleProcess.RunAsync("ClientTour");

        run.AssertSucceededPrinting(
            Offline,
            "health:    ok",
            "info:      Demo AgentOS (demo-os): agents 3, teams 1, workflows 1, auth none",
            "agent:     assistant",
            "agent:     ops-agent        Ops Agent (model demo-model, 1 tools)",
            "team:      research-team    Research Team (members: researcher)",
            "workflow:  report-workflow  Report Workflow",
            "model:     demo-model (Demo)",
            "in code:   AgentOSClientOptions { BaseAddress = http://127.0.0.1:",
            "ApiKey = ***, TokenProvider = (none), Timeout = 00:01:00, StreamIdleTimeout = 00:00:30 }",
            "from DI:   AgentOSClientOptions { BaseAddress = http://127.0.0.1:",
            "Timeout = 00:01:00",
            "health through it: ok",
            "invalid:   Invalid options for the AgentOS server: AgentOSClientOptions.BaseAddress is required",
            "list:      1 session(s) of user tour-",
            "agent assistant, name \"Hi, my name is Ada.\"",
            "with 4 messages:",
            "user      Hi, my name is Ada.",
            "assistant Nice to meet you, Ada.",
            "user      What is my name?",
            "assistant Your name is Ada.",
            "runs:      2 (\"Hi, my name is Ada.\" COMPLETED, \"What is my name?\" COMPLETED)",
            "rename:    \"Ada's chat\"",
            "is gone (404 on the next get)",
            "not found:   AgentOSNotFoundException: 404 POST agents/no-such-agent/runs, detail \"Agent not found\"",
            "unreachable: AgentOSServerUnavailableException: http://127.0.0.1:",
            "(an OperationCanceledException) after 3 chunks of 'slow-agent'",
            "== Done");
        Assert.DoesNotContain("not-a-real-key", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExtensionsAI_uses_a_remote_agent_as_IChatClient_and_the_team_and_workflow_as_tools()
    {
        var run = await SampleProcess.RunAsync("ExtensionsAI");

        run.AssertSucceededPrinting(
            Offline,
            "provider agno, http://127.0.0.1:",
            "GetResponseAsync:          You asked: \"What is AgentOS?\"",
            "model demo-model, 15 tokens, finish stop",
            "GetStreamingResponseAsync: You asked: \"Tell me about streaming.\"",
            "text updates, joined:",
            "finish stop",
            "you: Hi, my name is Ada.   agent: Nice to meet you, Ada.",
            "you: What is my name?      agent: Your name is Ada.",
            "both times: True",
            "tool research-team: A leader that hands research questions",
            "tool report-workflow: Drafts a short report",
            "model calls research-team(input: \"AgentOS\") -> Team findings: On \"AgentOS\"",
            "model calls report-workflow(input: \"AgentOS\") -> REPORT: AgentOS in three points",
            "model: Here is what I found. Team findings: On \"AgentOS\"",
            "REPORT: AgentOS in three points",
            "== Done");
    }

    [Fact]
    public async Task Telemetry_exports_the_clients_spans_and_metrics_with_the_console_exporter()
    {
        var run = await SampleProcess.RunAsync("Telemetry");

        run.AssertSucceededPrinting(
            Offline,
            "== 1. A run and a streamed run",
            "Activity.DisplayName:        invoke_agent assistant",
            "Activity.Kind:               Client",
            "gen_ai.operation.name: invoke_agent",
            "gen_ai.provider.name: agno",
            "gen_ai.response.model: demo-model",
            "gen_ai.usage.input_tokens: 10",
            "Name: Agno.AgentOS",
            "run: You asked: \"What is AgentOS?\"",
            "stream: You asked: \"Tell me about streaming.\"",
            "== 2. A workflow",
            "Activity.DisplayName:        invoke_workflow report-workflow",
            "gen_ai.workflow.name: report-workflow",
            "== 3. A failure",
            "Activity.DisplayName:        invoke_agent no-such-agent",
            "error.type: 404",
            "StatusCode: Error",
            "exception.type: Agno.AgentOS.AgentOSNotFoundException",
            "failed as expected: 404 Agent not found",
            "== 4. Through Microsoft.Extensions.AI",
            "Activity.ParentSpanId:",
            "Activity.DisplayName:        invoke_agent assistant",
            "Activity.DisplayName:        chat",
            "chat: Nice to meet you, Ada.",
            "== 5. Metrics",
            "Metric Name: gen_ai.client.operation.duration, Description: GenAI operation duration., Unit: s, Metric Type: Histogram",
            "error.type: 404 gen_ai.agent.id: no-such-agent",
            "Metric Name: gen_ai.client.token.usage",
            "gen_ai.token.type: input",
            "Metric Name: gen_ai.client.operation.time_to_first_chunk",
            "== Done");
    }

    [Fact]
    public async Task AgentFramework_uses_remote_components_as_AIAgents_alone_in_a_workflow_paused_and_cancelled()
    {
        var run = await SampleProcess.RunAsync("AgentFramework");

        run.AssertSucceededPrinting(
            Offline,
            "agent Assistant (author name Assistant)",
            "you: Hi, my name is Ada.   Assistant: Nice to meet you, Ada.",
            "serialized session:",
            "you: What is my name?      Assistant: Your name is Ada.",
            "usage 15 tokens, finish stop",
            "team: Team findings: On \"AgentOS\"",
            "member activity seen from: Researcher",
            "user: Write a slogan for a bakery.",
            "writer: Fresh bread, every morning.",
            "Assistant: You asked: \"user: Write a slogan for a bakery.  writer: Fresh bread, every morning.\"",
            "finish tool_calls: delete_record({\"record_id\":\"rec-42\"}) needs approval",
            "approved -> Done: Record rec-42 deleted.",
            "tick 1 tick 2 tick 3 [cancelled]",
            "on the server: status CANCELLED after 3 ticks",
            "over AgentOS: MAF helper heard \"hello\" (turn 1)",
            "same session: MAF helper heard \"again\" (turn 2)",
            "== Done");
    }
}
