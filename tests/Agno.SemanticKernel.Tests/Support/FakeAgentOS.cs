using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Agno.SemanticKernel.Tests.Support;

/// <summary>What a scripted component is asked in one run.</summary>
/// <param name="Message">The form field <c>message</c>.</param>
/// <param name="SessionId">The session (as sent, or made up by the server when absent).</param>
/// <param name="Turn">The 1-based number of this run in its session.</param>
/// <param name="Form">Every form field.</param>
public sealed record FakeTurn(string Message, string SessionId, int Turn, IReadOnlyDictionary<string, string> Form);

/// <summary>A run request the fake server received.</summary>
public sealed record FakeRun(string Kind, string ComponentId, string Message, string? SentSessionId, string SessionId, string RunId, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// A small AgentOS server on 127.0.0.1 (ephemeral port) whose agents, teams and workflows answer with
/// scripted text: for multi-turn and multi-agent tests whose inputs depend on other agents' answers (which
/// recorded fixtures cannot answer). It speaks the protocol as the recordings show it: form posts, SSE
/// events (member and step events nested in team and workflow streams), JSON outputs, sessions.
/// </summary>
public sealed class FakeAgentOS : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Component> _components = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeRun> _runs = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _deleted = new();
    private readonly ConcurrentQueue<(string Request, IReadOnlyDictionary<string, string> Headers)> _headers = new();
    private readonly ConcurrentDictionary<string, int> _turns = new(StringComparer.Ordinal);
    private int _sessionCounter;
    private int _runCounter;

    private FakeAgentOS(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client of this server.</summary>
    public AgentOSClient Client { get; private set; } = null!;

    /// <summary>Run requests, in the order they arrived.</summary>
    public IReadOnlyList<FakeRun> Runs => [.. _runs];

    /// <summary>Every request as <c>METHOD path?query</c>.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    /// <summary>Sessions deleted with <c>DELETE /sessions/{id}</c>.</summary>
    public IReadOnlyList<string> DeletedSessions => [.. _deleted];

    /// <summary>The headers of every request (as in <see cref="Requests"/>).</summary>
    public IReadOnlyList<(string Request, IReadOnlyDictionary<string, string> Headers)> RequestHeaders => [.. _headers];

    public static async Task<FakeAgentOS> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeAgentOS(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        server.Client = new AgentOSClient(server.BaseAddress);
        return server;
    }

    public FakeAgentOS AddAgent(string id, string name, string? description, Func<FakeTurn, string> reply)
        => Add(new Component("agents", id, name, description, reply));

    /// <summary>An agent whose runs pause for a human (a tool call needing a confirmation) when <paramref name="pauseWhen"/> says so.</summary>
    public FakeAgentOS AddAgent(string id, string name, string? description, Func<FakeTurn, string> reply, Func<FakeTurn, bool> pauseWhen)
        => Add(new Component("agents", id, name, description, reply) { PauseWhen = pauseWhen });

    /// <summary>A team whose stream interleaves a member's run (nested) before the team's own answer.</summary>
    public FakeAgentOS AddTeam(string id, string name, string? description, Func<FakeTurn, string> reply)
        => Add(new Component("teams", id, name, description, reply));

    /// <summary>A workflow whose stream has a step agent's run before the workflow's output.</summary>
    public FakeAgentOS AddWorkflow(string id, string name, string? description, Func<FakeTurn, string> reply)
        => Add(new Component("workflows", id, name, description, reply));

    /// <summary>The runs of one component.</summary>
    public IReadOnlyList<FakeRun> RunsOf(string componentId) => Runs.Where(r => r.ComponentId == componentId).ToList();

    private FakeAgentOS Add(Component component)
    {
        _components[component.Kind + "/" + component.Id] = component;
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string path = request.Path.Value ?? "/";
        _requests.Enqueue($"{request.Method} {path}{request.QueryString}");
        _headers.Enqueue(($"{request.Method} {path}{request.QueryString}", request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        string[] segments = path.Trim('/').Split('/');

        if (request.Method == "GET" && segments is ["config"])
        {
            var config = new JsonObject { ["os_id"] = "fake-os" };
            foreach (string domain in new[] { "agents", "teams", "workflows" })
            {
                config[domain] = new JsonArray([.. _components.Values.Where(c => c.Kind == domain).OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => (JsonNode)c.Details())]);
            }

            await WriteJsonAsync(context, 200, config);
            return;
        }

        if (request.Method == "GET" && segments is ["agents" or "teams" or "workflows"])
        {
            var list = new JsonArray([.. _components.Values.Where(c => c.Kind == segments[0]).OrderBy(c => c.Id, StringComparer.Ordinal).Select(c => (JsonNode)c.Details())]);
            await WriteJsonAsync(context, 200, list);
            return;
        }

        if (request.Method == "GET" && segments is [var kind, var id] && _components.TryGetValue(kind + "/" + id, out var details))
        {
            await WriteJsonAsync(context, 200, details.Details());
            return;
        }

        if (request.Method == "POST" && segments is [var k, var cid, "runs"] && _components.TryGetValue(k + "/" + cid, out var component))
        {
            await RunAsync(context, component);
            return;
        }

        if (request.Method == "POST" && segments is [_, _, "runs", _, "cancel"])
        {
            await WriteJsonAsync(context, 200, new JsonObject());
            return;
        }

        if (request.Method == "DELETE" && segments is ["sessions", var sessionId])
        {
            _deleted.Enqueue(Uri.UnescapeDataString(sessionId));
            context.Response.StatusCode = 204;
            return;
        }

        await WriteJsonAsync(context, 404, new JsonObject { ["detail"] = "Not Found" });
    }

    private async Task RunAsync(HttpContext context, Component component)
    {
        var form = await context.Request.ReadFormAsync();
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        string message = fields.GetValueOrDefault("message") ?? string.Empty;
        if (message.Length == 0)
        {
            await WriteJsonAsync(context, 422, new JsonObject { ["detail"] = "missing body.message" });
            return;
        }

        string? sent = fields.GetValueOrDefault("session_id");
        string sessionId = string.IsNullOrEmpty(sent) ? $"session-{Interlocked.Increment(ref _sessionCounter)}" : sent;
        string runId = $"run-{Interlocked.Increment(ref _runCounter)}";
        int turn = _turns.AddOrUpdate(sessionId, 1, (_, n) => n + 1);
        _runs.Enqueue(new FakeRun(component.Kind, component.Id, message, sent, sessionId, runId, fields));
        var fakeTurn = new FakeTurn(message, sessionId, turn, fields);
        bool pause = component.PauseWhen?.Invoke(fakeTurn) == true;
        string answer = pause ? "I have tools to execute, but I need confirmation." : component.Reply(fakeTurn);

        bool stream = !string.Equals(fields.GetValueOrDefault("stream"), "false", StringComparison.OrdinalIgnoreCase);
        if (!stream)
        {
            var output = component.Stamp(new JsonObject
            {
                ["run_id"] = runId,
                ["session_id"] = sessionId,
                ["content"] = answer,
                ["content_type"] = "str",
                ["status"] = "COMPLETED",
                ["model"] = "fake-model",
                ["metrics"] = Metrics(),
            });
            await WriteJsonAsync(context, 200, output);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        await context.Response.StartAsync();
        foreach (var (name, data) in pause ? component.PausedEvents(runId, sessionId, answer) : component.Events(runId, sessionId, answer))
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }
    }

    private static JsonObject Metrics() => new() { ["input_tokens"] = 11, ["output_tokens"] = 7, ["total_tokens"] = 18 };

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), Encoding.UTF8);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }

    private sealed record Component(string Kind, string Id, string Name, string? Description, Func<FakeTurn, string> Reply)
    {
        public Func<FakeTurn, bool>? PauseWhen { get; init; }

        private string Prefix => Kind switch { "teams" => "Team", "workflows" => "Workflow", _ => string.Empty };

        /// <summary>An agent run that pauses for the confirmation of a tool call, as agno streams it.</summary>
        public IEnumerable<(string Name, JsonObject Data)> PausedEvents(string runId, string sessionId, string content)
        {
            JsonObject Own(string name, JsonObject extra)
            {
                var o = Stamp(new JsonObject { ["created_at"] = 1795305470, ["event"] = name, ["run_id"] = runId, ["session_id"] = sessionId, ["nested_depth"] = 0 });
                foreach (var (k, v) in extra)
                {
                    o[k] = v?.DeepClone();
                }

                return o;
            }

            yield return ("RunStarted", Own("RunStarted", new JsonObject { ["model"] = "fake-model", ["model_provider"] = "Fake" }));
            var tool = new JsonObject
            {
                ["tool_call_id"] = "call-" + runId,
                ["tool_name"] = "publish",
                ["tool_args"] = new JsonObject { ["target"] = "prod" },
                ["requires_confirmation"] = true,
            };
            yield return ("RunPaused", Own("RunPaused", new JsonObject { ["content"] = content, ["tools"] = new JsonArray(tool) }));
        }

        public JsonObject Details()
        {
            var o = new JsonObject { ["id"] = Id, ["name"] = Name };
            if (Description is not null)
            {
                o["description"] = Description;
            }

            return o;
        }

        public JsonObject Stamp(JsonObject o)
        {
            switch (Kind)
            {
                case "teams":
                    o["team_id"] = Id;
                    o["team_name"] = Name;
                    break;
                case "workflows":
                    o["workflow_id"] = Id;
                    o["workflow_name"] = Name;
                    break;
                default:
                    o["agent_id"] = Id;
                    o["agent_name"] = Name;
                    break;
            }

            return o;
        }

        public IEnumerable<(string Name, JsonObject Data)> Events(string runId, string sessionId, string answer)
        {
            JsonObject Own(string name, JsonObject? extra = null)
            {
                var o = Stamp(new JsonObject { ["created_at"] = 1795305470, ["event"] = name, ["run_id"] = runId, ["session_id"] = sessionId, ["nested_depth"] = 0 });
                foreach (var (k, v) in extra ?? [])
                {
                    o[k] = v?.DeepClone();
                }

                return o;
            }

            JsonObject Inner(string name, string innerRunId, string? parent, JsonObject? extra = null)
            {
                var o = new JsonObject { ["created_at"] = 1795305470, ["event"] = name, ["agent_id"] = "inner-agent", ["agent_name"] = "Inner Agent", ["run_id"] = innerRunId, ["session_id"] = sessionId, ["nested_depth"] = 0 };
                if (parent is not null)
                {
                    o["parent_run_id"] = parent;
                }

                foreach (var (k, v) in extra ?? [])
                {
                    o[k] = v?.DeepClone();
                }

                return o;
            }

            (string, JsonObject) E(JsonObject o) => ((string)o["event"]!, o);

            yield return E(Own(Prefix + "RunStarted", new JsonObject { ["model"] = "fake-model", ["model_provider"] = "Fake" }));
            if (Kind == "teams")
            {
                // A member's run, nested in the team's stream: its text is not the team's answer.
                string member = runId + "-member";
                yield return E(Inner("RunStarted", member, runId));
                yield return E(Inner("RunContent", member, runId, new JsonObject { ["content"] = "member text ", ["content_type"] = "str" }));
                yield return E(Inner("RunCompleted", member, runId, new JsonObject { ["content"] = "member text ", ["content_type"] = "str" }));
            }

            if (Kind == "workflows")
            {
                // A step's agent run: agent events inside a workflow stream are not the workflow's answer.
                string step = runId + "-step";
                yield return E(Own("StepStarted", new JsonObject { ["step_name"] = "draft" }));
                yield return E(Inner("RunStarted", step, null));
                yield return E(Inner("RunContent", step, null, new JsonObject { ["content"] = "step text ", ["content_type"] = "str" }));
                yield return E(Inner("RunCompleted", step, null, new JsonObject { ["content"] = "step text ", ["content_type"] = "str" }));
                yield return E(Own("StepCompleted", new JsonObject { ["step_name"] = "draft", ["content"] = "step text " }));
                yield return E(Own("WorkflowCompleted", new JsonObject { ["content"] = answer, ["content_type"] = "str", ["metrics"] = Metrics() }));
                yield break;
            }

            foreach (string word in Words(answer))
            {
                yield return E(Own(Prefix + "RunContent", new JsonObject { ["content"] = word, ["content_type"] = "str" }));
            }

            yield return E(Own(Prefix + "RunCompleted", new JsonObject { ["content"] = answer, ["content_type"] = "str", ["metrics"] = Metrics() }));
        }

        private static IEnumerable<string> Words(string text)
        {
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == ' ')
                {
                    yield return text[start..(i + 1)];
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                yield return text[start..];
            }
        }
    }
}
