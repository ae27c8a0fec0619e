using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Agents.AI.Tests;

/// <summary>
/// Spans of a remote agent run, seen by an <see cref="ActivityListener"/>: inside MAF's <c>OpenTelemetryAgent</c>
/// there is one <c>invoke_agent</c> span (MAF's), with the client's HTTP-level span beneath it; without MAF's
/// telemetry the client's own <c>invoke_agent</c> span is there.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private const string MafSource = "agno-tests-maf";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inside_MAFs_OpenTelemetryAgent_there_is_one_invoke_agent_span_with_the_clients_http_span_beneath_it(bool streaming)
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent(new AgentOSAIAgentOptions { Name = "Echo Agent" })
            .AsBuilder().UseOpenTelemetry(MafSource).Build();
        using var spans = new SpanCollector(MafSource, "Agno.AgentOS");

        string text = streaming
            ? string.Concat((await agent.RunStreamingAsync("hello spans").ToListAsync()).Select(u => u.Text))
            : (await agent.RunAsync("hello spans")).Text;

        Assert.Equal("Echo: hello spans", text);
        var invokes = spans.Completed.Where(IsInvokeAgent).ToList();
        var maf = Assert.Single(invokes);
        Assert.Equal(MafSource, maf.Source.Name);
        var client = Assert.Single(spans.Completed, a => a.Source.Name == "Agno.AgentOS");
        Assert.Equal(maf.SpanId, client.ParentSpanId);
        Assert.Equal("POST /agents/{agent_id}/runs", client.DisplayName);
        Assert.Equal(ActivityKind.Client, client.Kind);
        Assert.Equal("POST", client.GetTagItem("http.request.method"));
        Assert.Null(client.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal("echo-agent", maf.GetTagItem("agno.component.id"));
    }

    [Fact]
    public async Task Without_MAF_telemetry_the_clients_own_invoke_agent_span_is_there()
    {
        await using var host = await TestHost.StartAsync();
        var agent = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();
        using var spans = new SpanCollector(MafSource, "Agno.AgentOS");

        var response = await agent.RunAsync("hello alone");

        Assert.Equal("Echo: hello alone", response.Text);
        var invoke = Assert.Single(spans.Completed, IsInvokeAgent);
        Assert.Equal("Agno.AgentOS", invoke.Source.Name);
        Assert.Equal("invoke_agent echo-agent", invoke.DisplayName);
        Assert.Equal("echo-agent", invoke.GetTagItem("gen_ai.agent.id"));
    }

    [Fact]
    public async Task A_MAF_span_of_another_agent_does_not_hide_the_remote_agents_own_span()
    {
        await using var host = await TestHost.StartAsync();
        var remote = host.Client.GetRemoteAgent("echo-agent").AsAIAgent();
        using var spans = new SpanCollector(MafSource, "Agno.AgentOS");
        using var outerSource = new ActivitySource(MafSource);

        // An outer agent's invoke_agent span (e.g. an orchestrator calling the remote agent as a tool).
        using (var outer = outerSource.StartActivity("invoke_agent Orchestrator"))
        {
            outer?.SetTag("gen_ai.operation.name", "invoke_agent");
            outer?.SetTag("gen_ai.agent.id", "orchestrator");
            await remote.RunAsync("nested");
        }

        var own = Assert.Single(spans.Completed, a => a.Source.Name == "Agno.AgentOS");
        Assert.Equal("invoke_agent echo-agent", own.DisplayName);
        Assert.Equal(2, spans.Completed.Count(IsInvokeAgent));
    }

    private static bool IsInvokeAgent(Activity a) => a.GetTagItem("gen_ai.operation.name") as string == "invoke_agent";

    private sealed class SpanCollector : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _completed = new();
        private readonly HashSet<string> _sources;

        public SpanCollector(params string[] sources)
        {
            _sources = [.. sources];
            _listener = new ActivityListener
            {
                ShouldListenTo = s => _sources.Contains(s.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => _completed.Enqueue(a),
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public List<Activity> Completed => [.. _completed];

        public void Dispose() => _listener.Dispose();
    }
}

/// <summary>Tests that listen to activities run one at a time (a listener sees every test's spans).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "telemetry";
}
