// StandaloneRunner: run and stream a remote agent, a remote team and a remote workflow, the .NET counterpart of
// agno's cookbook 05_agent_os/20_remote standalone examples (01_remote_agent.py, 02_remote_team_and_workflow.py).
// Offline by default (the embedded demo AgentOS); set AGNO_BASE_URL (and AGNO_API_KEY, AGNO_AGENT_ID,
// AGNO_TEAM_ID, AGNO_WORKFLOW_ID) to run against a real AgentOS.
using Agno.AgentOS;
using Agno.Samples;

await using var os = await DemoAgentOS.StartAsync();
AgentOSClient client = os.Client;
Console.WriteLine($"Server: {os.Describe()}");

var config = await client.GetConfigAsync();
string? teamId = Env("AGNO_TEAM_ID") ?? (os.IsEmbedded ? "research-team" : config.Teams?.FirstOrDefault()?.Id);
string? workflowId = Env("AGNO_WORKFLOW_ID") ?? (os.IsEmbedded ? "report-workflow" : config.Workflows?.FirstOrDefault()?.Id);

// 1. A remote agent: await a run, then stream one --------------------------------------------------------
var agent = client.GetRemoteAgent(os.AgentId);
var agentDetails = await agent.GetDetailsAsync();
Section($"Remote agent '{agent.Id}'");
Console.WriteLine($"{agentDetails.Name}: {agentDetails.Description} (model {agentDetails.Model?.EffectiveId ?? "?"})");

AgentRunOutput output = await agent.RunAsync("What is AgentOS?");
Console.WriteLine($"run:    {output.Content}");
Console.WriteLine($"        status {output.Status}, {output.Metrics?.TotalTokens ?? 0} tokens");

Console.Write("stream: ");
var eventNames = new List<string>();
await foreach (AgentOSEvent e in agent.RunStreamingAsync("Tell me about streaming."))
{
    eventNames.Add(e.Event);
    if (e is RunContentEvent { Content: { } delta })
    {
        Console.Write(delta);                               // the answer, token by token
    }
}

Console.WriteLine();
Console.WriteLine($"        {eventNames.Count} events: {Summarize(eventNames)}");

// 2. A remote team: the members' events are nested in the team's stream ----------------------------------
string? speaking = null;   // who the current output line is from (see Speaker below)
if (teamId is not null)
{
    var team = client.GetRemoteTeam(teamId);
    var teamDetails = await team.GetDetailsAsync();
    Section($"Remote team '{team.Id}'");
    Console.WriteLine($"{teamDetails.Name}: {teamDetails.Description}");
    foreach (var member in teamDetails.Members ?? [])
    {
        Console.WriteLine($"  member {member.Name ?? member.Id}: {member.Role ?? member.Description}");
    }

    int memberEvents = 0, leaderEvents = 0;
    var leaderAnswer = new System.Text.StringBuilder();
    await foreach (AgentOSEvent e in team.RunStreamingAsync("What is AgentOS?"))
    {
        if (e.IsNested)
        {
            // a member's own run (RunStarted, RunContent, ...): its ParentRunId is the team run
            memberEvents++;
            if (e is RunContentEvent { Content: { } memberDelta })
            {
                Speaker($"member {e.AgentName ?? e.AgentId}");
                Console.Write(memberDelta);
            }

            continue;
        }

        leaderEvents++;
        switch (e)
        {
            case ToolCallStartedEvent { Tool: { } tool }:
                Speaker("leader");
                Console.Write($"calls {tool.ToolName}({tool.ToolArgs?.ToJsonString()})");
                break;
            case RunContentEvent { Content: { } delta }:
                leaderAnswer.Append(delta);                     // the leader's own answer, never the members'
                break;
            case RunCompletedEvent completed:
                Speaker(null);
                Console.WriteLine($"leader's answer: {completed.Content ?? leaderAnswer.ToString()}");
                break;
        }
    }

    Speaker(null);
    Console.WriteLine($"{leaderEvents} events from the team itself, {memberEvents} from its members (nested)");
}

// 3. A remote workflow: step events, with the events of each step's agent ------------------------------------
if (workflowId is not null)
{
    var workflow = client.GetRemoteWorkflow(workflowId);
    var workflowDetails = await workflow.GetDetailsAsync();
    Section($"Remote workflow '{workflow.Id}'");
    var steps = (workflowDetails.Steps ?? []).Select(s => s["name"]?.ToString()).Where(n => n is not null);
    Console.WriteLine($"{workflowDetails.Name}: {workflowDetails.Description}");
    Console.WriteLine($"  steps: {string.Join(" -> ", steps)}");

    var accumulator = new RunStreamAccumulator(EventScope.Workflow);
    bool inStep = false;
    int workflowEvents = 0, stepAgentEvents = 0;
    await foreach (AgentOSEvent e in workflow.RunStreamingAsync("AgentOS"))
    {
        accumulator.Add(e);
        _ = e.Scope == EventScope.Workflow ? workflowEvents++ : stepAgentEvents++;
        switch (e)
        {
            case RunStartedEvent when e.Scope == EventScope.Workflow:
                Console.WriteLine($"{e.Event}");
                break;
            case StepStartedEvent:
                Console.WriteLine($"  {e.Event} {e.StepName}");
                break;
            case RunContentEvent { Content: { } delta } when e.Scope != EventScope.Workflow:
                if (!inStep)
                {
                    Console.Write($"    [{e.AgentName ?? e.AgentId}] ");
                    inStep = true;
                }

                Console.Write(delta);                           // the step's agent, streamed
                break;
            case StepCompletedEvent step:
                if (inStep)
                {
                    Console.WriteLine();
                    inStep = false;
                }

                Console.WriteLine($"  {e.Event} {e.StepName}: {step.Content}");
                break;
            case RunCompletedEvent completed when e.Scope == EventScope.Workflow:
                Console.WriteLine($"{e.Event}: {completed.Content}");
                break;
        }
    }

    StreamedRunResult result = accumulator.Result;
    Console.WriteLine($"status {result.Status}: {workflowEvents} workflow and step events, {stepAgentEvents} from the steps' agents");
}

Section("Done");
return 0;

void Speaker(string? who)
{
    if (who == speaking)
    {
        return;
    }

    if (speaking is not null)
    {
        Console.WriteLine();
    }

    speaking = who;
    if (who is not null)
    {
        Console.Write($"  [{who}] ");
    }
}

static string Summarize(List<string> names)
{
    // RunStarted, RunContent x20, RunCompleted: consecutive repeats folded
    var parts = new List<string>();
    for (int i = 0; i < names.Count;)
    {
        int j = i;
        while (j < names.Count && names[j] == names[i])
        {
            j++;
        }

        parts.Add(j - i > 1 ? $"{names[i]} x{j - i}" : names[i]);
        i = j;
    }

    return string.Join(", ", parts);
}

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}

static string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
