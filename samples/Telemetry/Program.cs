// Telemetry: the AgentOS client's spans and metrics (OpenTelemetry GenAI semantic conventions), exported to the console
// with the OpenTelemetry console exporter. Offline by default (the embedded demo AgentOS); set AGNO_BASE_URL (and
// AGNO_API_KEY, AGNO_AGENT_ID) for a real one.
using Agno.AgentOS;
using Agno.Extensions.AI;
using Agno.Samples;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

const string ChatSource = "Agno.Samples.Chat"; // the source of MEAI's own chat spans (UseOpenTelemetry)

// Subscribe to the client's ActivitySource and Meter by their public names.
TracerProvider tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource(AgentOSTelemetry.ActivitySourceName, ChatSource)
    .AddConsoleExporter()
    .Build();
MeterProvider metrics = Sdk.CreateMeterProviderBuilder()
    .AddMeter(AgentOSTelemetry.MeterName)
    .AddConsoleExporter()
    .Build();

await using (var os = await DemoAgentOS.StartAsync())
{
    AgentOSClient client = os.Client;
    Console.WriteLine($"Server: {os.Describe()}");

    Section("1. A run and a streamed run: one invoke_agent span each");
    AgentRunOutput output = await client.RunAgentAsync(os.AgentId, new RunRequest("What is AgentOS?"));
    Console.WriteLine($"run: {output.Content}");
    await foreach (AgentOSEvent e in client.RunAgentStreamingAsync(os.AgentId, new RunRequest("Tell me about streaming.")))
    {
        if (e is RunCompletedEvent done)
        {
            Console.WriteLine($"stream: {done.Content}");
        }
    }

    Section("2. A workflow: an invoke_workflow span");
    WorkflowRunOutput report = await client.RunWorkflowAsync("report-workflow", new RunRequest("AgentOS"));
    Console.WriteLine($"workflow: {report.Content?.Split('\n')[0]}");

    Section("3. A failure: the span's status is Error, with error.type");
    try
    {
        await client.RunAgentAsync("no-such-agent", new RunRequest("hello"));
    }
    catch (AgentOSNotFoundException ex)
    {
        Console.WriteLine($"failed as expected: {(int?)ex.StatusCode} {ex.Detail}");
    }

    Section("4. Through Microsoft.Extensions.AI: a chat span around the run's span");
    using IChatClient chat = client.GetRemoteAgent(os.AgentId).AsIChatClient()
        .AsBuilder()
        .UseOpenTelemetry(sourceName: ChatSource)
        .Build();
    ChatResponse reply = await chat.GetResponseAsync("Hi, my name is Ada.");
    Console.WriteLine($"chat: {reply.Text}");
}

Section("5. Metrics: gen_ai.client.operation.duration, gen_ai.client.token.usage, time to first chunk");
tracing.Dispose();
metrics.Dispose(); // exports what was measured
Section("Done");
return 0;

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine($"== {title}");
}
