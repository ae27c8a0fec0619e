using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agno.AgentOS.Internal;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// Every recorded JSON answer the client decodes, with the shape of each of its fields changed in turn
/// (string, number, object, array, null): the call succeeds with every other field as decoded from the
/// recording, or, where the field is one the library relies on (ids, status, content, event names), throws
/// <see cref="AgentOSProtocolException"/>. Never another exception type, never a silently different answer.
/// </summary>
public abstract partial class ShapeToleranceTests(FixtureSet fixtures) : ProtocolTests(fixtures)
{
    private static readonly JsonNode?[] Shapes = [JsonValue.Create("changed"), JsonValue.Create(7), new JsonObject { ["unexpected"] = true }, new JsonArray(1, "two"), null];

    [Fact]
    public async Task Every_field_of_every_recorded_answer_survives_a_changed_shape_or_fails_typed()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);
        await client.GetServerVersionAsync().ContinueWith(_ => { }, TaskScheduler.Default); // nothing served: not cached
        server.Serve("003");
        await client.GetServerVersionAsync(); // cached: GetModelsAsync asks /models (2.9) or /config (3.x) directly

        var failures = new List<string>();
        int mutations = 0, tolerated = 0, typedFailures = 0, answers = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in Recording.Names.Order(StringComparer.Ordinal))
        {
            var exchange = Recording.Get(name);
            if (exchange.StatusCode is < 200 or > 299 || exchange.ResponseHeader("content-type")?.Contains("json", StringComparison.Ordinal) != true
                || CallFor(exchange) is not { } call)
            {
                continue;
            }

            answers++;
            var baseline = await OutcomeAsync(server, client, exchange, exchange.ResponseBody, call);
            Assert.True(baseline.Value is not null, $"{name}: the recorded answer itself fails: {baseline.Error}");

            var original = JsonNode.Parse(exchange.ResponseBody)!;
            foreach (var (path, member, kind) in Members(original, "$"))
            {
                foreach (var shape in Shapes)
                {
                    if (KindOf(shape) == kind)
                    {
                        continue;
                    }

                    // the same field of the same model in the same shape is tested once per recording
                    string key = $"{call.Method.Name}|{IndexFree().Replace(path, "[]")}|{kind}|{KindOf(shape)}";
                    if (!seen.Add(key))
                    {
                        continue;
                    }

                    mutations++;
                    var mutated = original.DeepClone();
                    var (parent, field, _) = TolerantJson.Locate(mutated, path);
                    Assert.Equal(member, field);
                    parent![field!] = shape?.DeepClone();
                    var outcome = await OutcomeAsync(server, client, exchange, System.Text.Encoding.UTF8.GetBytes(mutated.ToJsonString()), call);
                    string where = $"{name} {path} {kind}->{KindOf(shape)}";
                    if (outcome.Error is AgentOSProtocolException)
                    {
                        typedFailures++;
                        if (!TolerantJson.ReliedOn.Contains(member))
                        {
                            failures.Add($"{where}: a field the caller did not ask about failed the answer: {outcome.Error.Message}");
                        }

                        continue;
                    }

                    if (outcome.Value is null)
                    {
                        failures.Add($"{where}: {outcome.Error?.GetType().Name}: {outcome.Error?.Message}");
                        continue;
                    }

                    if (outcome.Error?.GetType() != baseline.Error?.GetType())
                    {
                        failures.Add($"{where}: the recorded answer gave {baseline.Error?.GetType().Name ?? "a result"}, the mutated one {outcome.Error?.GetType().Name ?? "a result"}");
                        continue;
                    }

                    tolerated++;
                    // the mutated member as the model holds it: structured content, for one, is held as its JSON text
                    // (and a member the recording had as null is not in the serialized model at all)
                    string held = baseline.Value is null ? path : TolerantJson.Locate(baseline.Value, path).Path;
                    var expected = Without(Without(baseline.Value, held), path);
                    var actual = Without(Without(outcome.Value, held), path);
                    if (!JsonNode.DeepEquals(expected, actual))
                    {
                        failures.Add($"{where}: other fields changed: expected {Excerpt(expected)} got {Excerpt(actual)}");
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {mutations} mutations misbehaved:\n" + string.Join("\n", failures.Take(25)));
        Assert.True(answers >= 80, $"only {answers} recorded answers were decoded");
        Assert.True(tolerated > mutations / 2, $"{tolerated} of {mutations} mutations were tolerated");
        Assert.True(typedFailures > 0, "no relied-on field was mutated");
    }

    [Theory]
    [InlineData("021")]
    [InlineData("061")]
    [InlineData("071")]
    public async Task Every_field_of_every_recorded_stream_event_survives_a_changed_shape_or_leaves_that_event_malformed(string fixture)
    {
        var exchange = Fixtures.Get(fixture);
        var frames = exchange.SseFrames();
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);
        var baseline = await StreamAsync(server, client, exchange, frames);
        Assert.Null(baseline.Error);
        Assert.Equal(TestSupport.RecordedEventNames(fixture), baseline.Events.Select(e => e.Event));

        var failures = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int mutations = 0, tolerated = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            var (eventLine, data) = SplitFrame(frames[i]);
            if (data is null)
            {
                continue;
            }

            foreach (var (path, member, kind) in Members(data, "$"))
            {
                foreach (var shape in Shapes)
                {
                    if (KindOf(shape) == kind || !seen.Add($"{eventLine}|{IndexFree().Replace(path, "[]")}|{kind}|{KindOf(shape)}"))
                    {
                        continue;
                    }

                    mutations++;
                    var mutated = data.DeepClone();
                    var (parent, field, _) = TolerantJson.Locate(mutated, path);
                    parent![field!] = shape?.DeepClone();
                    var changed = frames.ToList();
                    changed[i] = System.Text.Encoding.UTF8.GetBytes($"{eventLine}\ndata: {mutated.ToJsonString()}\n\n");
                    var outcome = await StreamAsync(server, client, exchange, changed);
                    string where = $"{fixture} event {i} ({eventLine}) {path} {kind}->{KindOf(shape)}";
                    bool reliedOn = TolerantJson.ReliedOn.Contains(member);
                    if (reliedOn && (outcome.Error is AgentOSProtocolException || (outcome.Events.Count > i && outcome.Events[i] is MalformedEvent)))
                    {
                        continue; // a field the library relies on: the event is malformed (and a stream without its end is interrupted)
                    }

                    if (outcome.Error is not null || outcome.Events.Count != baseline.Events.Count)
                    {
                        failures.Add($"{where}: {outcome.Error?.GetType().Name} {outcome.Error?.Message} ({outcome.Events.Count} events)");
                        continue;
                    }

                    for (int j = 0; j < baseline.Events.Count; j++)
                    {
                        var expected = SerializeEvent(baseline.Events[j]);
                        var actual = SerializeEvent(outcome.Events[j]);
                        if (j == i)
                        {
                            string held = TolerantJson.Locate(expected!, path).Path;
                            expected = Without(Without(expected, held), path);
                            actual = Without(Without(actual, held), path);
                        }

                        if (baseline.Events[j].GetType() != outcome.Events[j].GetType() || !JsonNode.DeepEquals(expected, actual))
                        {
                            failures.Add($"{where}: event {j} changed: expected {Excerpt(expected)} got {outcome.Events[j].GetType().Name} {Excerpt(actual)}");
                            break;
                        }
                    }

                    tolerated++;
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {mutations} mutations misbehaved:\n" + string.Join("\n", failures.Take(25)));
        Assert.True(tolerated > mutations / 2, $"{tolerated} of {mutations} mutations were tolerated");
    }

    private static JsonNode? SerializeEvent(AgentOSEvent e) => e is MalformedEvent m ? JsonValue.Create($"malformed: {m.RawData}") : Serialize(e);

    private sealed record StreamOutcome(List<AgentOSEvent> Events, Exception? Error);

    private static async Task<StreamOutcome> StreamAsync(ReplayServer server, AgentOSClient client, RecordedExchange exchange, IReadOnlyList<byte[]> frames)
    {
        server.Serve(exchange, new ServeOptions { BodyOverride = [.. frames.SelectMany(f => f)] });
        string[] s = exchange.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var request = new RunRequest("changed shapes");
        var stream = s[0] switch
        {
            "agents" => client.RunAgentStreamingAsync(s[1], request),
            "teams" => client.RunTeamStreamingAsync(s[1], request),
            _ => client.RunWorkflowStreamingAsync(s[1], request),
        };
        var events = new List<AgentOSEvent>();
        try
        {
            await foreach (var e in stream)
            {
                events.Add(e);
            }

            return new StreamOutcome(events, null);
        }
        catch (Exception ex)
        {
            return new StreamOutcome(events, ex);
        }
    }

    private static (string EventLine, JsonNode? Data) SplitFrame(byte[] frame)
    {
        var lines = System.Text.Encoding.UTF8.GetString(frame).Split('\n');
        string? data = lines.FirstOrDefault(l => l.StartsWith("data: ", StringComparison.Ordinal));
        return (lines[0], data is null ? null : JsonNode.Parse(data["data: ".Length..]));
    }

    [Fact]
    public async Task A_field_of_a_changed_shape_is_left_out_and_logged_and_a_relied_on_one_fails_typed()
    {
        var config = JsonNode.Parse(Fixtures.Get("004").ResponseBody)!;
        config["available_models"] = 42;
        var run = JsonNode.Parse(Fixtures.Get("020").ResponseBody)!;
        run["run_id"] = new JsonObject { ["id"] = "r" };
        await using var server = await ReplayServer.StartAsync();
        server.Serve("004", new ServeOptions { BodyOverride = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString()) });
        server.Serve("020", new ServeOptions { BodyOverride = System.Text.Encoding.UTF8.GetBytes(run.ToJsonString()) });
        var logs = new CapturingLoggerFactory();
        using var client = new AgentOSClient(new AgentOSClientOptions { BaseAddress = server.BaseAddress }, loggerFactory: logs);

        var decoded = await client.GetConfigAsync();
        var ex = await Assert.ThrowsAsync<AgentOSProtocolException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hello world")));

        Assert.Null(decoded.AvailableModels);
        Assert.Equal("echo-os", decoded.OsId);
        Assert.Equal("echo-agent", decoded.Agents![0].Id);
        var warning = Assert.Single(logs.Messages, m => m.Contains("$.available_models", StringComparison.Ordinal));
        Assert.Contains("unexpected shape (Number)", warning, StringComparison.Ordinal);
        Assert.Contains("'$.run_id'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("relies on it", ex.Message, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, ex.StatusCode);
    }

    private sealed class CapturingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) { }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _messages.Enqueue(formatter(state, exception));

        public void Dispose() { }
    }

    private sealed record Outcome(JsonNode? Value, Exception? Error);

    private static async Task<Outcome> OutcomeAsync(ReplayServer server, AgentOSClient client, RecordedExchange exchange, byte[] body, Func<AgentOSClient, Task<object>> call)
    {
        server.Serve(exchange, new ServeOptions { BodyOverride = body });
        try
        {
            var value = await call(client);
            return new Outcome(Serialize(value), null);
        }
        catch (AgentOSRunFailedException ex) when (ex.Output is not null)
        {
            return new Outcome(Serialize(ex.Output), ex); // a run whose recorded status is ERROR: compare its output
        }
        catch (Exception ex)
        {
            return new Outcome(null, ex);
        }
    }

    private static JsonNode? Serialize(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), AgentOSJsonContext.Default.Options);

    private static JsonNode? Without(JsonNode? node, string path)
    {
        var copy = node?.DeepClone();
        if (copy is not null)
        {
            var (parent, field, located) = TolerantJson.Locate(copy, path);
            if (parent is not null && located == path)
            {
                parent.Remove(field!);
            }
        }

        return copy;
    }

    private static string Excerpt(JsonNode? node)
    {
        string s = node?.ToJsonString() ?? "null";
        return s.Length > 300 ? s[..300] + "…" : s;
    }

    private static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() switch
    {
        null => JsonValueKind.Null,
        JsonValueKind.True or JsonValueKind.False => JsonValueKind.True,
        var k => k!.Value,
    };

    /// <summary>Every object member of the answer (in arrays, of the first element only).</summary>
    private static IEnumerable<(string Path, string Member, JsonValueKind Kind)> Members(JsonNode? node, string path)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (!PlainName().IsMatch(key))
                {
                    continue;
                }

                string child = $"{path}.{key}";
                yield return (child, key, KindOf(value));
                foreach (var nested in Members(value, child))
                {
                    yield return nested;
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } array)
        {
            foreach (var nested in Members(array[0], path + "[0]"))
            {
                yield return nested;
            }
        }
    }

    /// <summary>The client call that decodes this recorded answer, or null for answers the client does not decode.</summary>
    private static Func<AgentOSClient, Task<object>>? CallFor(RecordedExchange e)
    {
        string[] s = e.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var run = new RunRequest("changed shapes") { SessionId = "s" };
        var cont = new ContinueRunRequest("s");
        bool accepted = e.StatusCode == 202;
        return (e.Method, s) switch
        {
            ("GET", ["health"]) => async c => await c.GetHealthAsync(),
            ("GET", []) => async c => await c.GetApiHomeAsync(),
            ("GET", ["info"]) => async c => await c.GetInfoAsync(),
            ("GET", ["config"]) => async c => await c.GetConfigAsync(),
            ("GET", ["models"]) => async c => await c.GetModelsAsync(),
            ("GET", ["agents"]) => async c => await c.ListAgentsAsync(),
            ("GET", ["agents", var id]) => async c => await c.GetAgentAsync(id),
            ("GET", ["teams"]) => async c => await c.ListTeamsAsync(),
            ("GET", ["teams", var id]) => async c => await c.GetTeamAsync(id),
            ("GET", ["workflows"]) => async c => await c.ListWorkflowsAsync(),
            ("GET", ["workflows", var id]) => async c => await c.GetWorkflowAsync(id),
            ("POST", ["agents", var id, "runs"]) when accepted => async c => await c.StartAgentRunInBackgroundAsync(id, run),
            ("POST", ["agents", var id, "runs"]) => async c => await c.RunAgentAsync(id, run),
            ("POST", ["teams", var id, "runs"]) => async c => await c.RunTeamAsync(id, run),
            ("POST", ["workflows", var id, "runs"]) when accepted => async c => await c.StartWorkflowRunInBackgroundAsync(id, run),
            ("POST", ["workflows", var id, "runs"]) => async c => await c.RunWorkflowAsync(id, run),
            ("POST", ["agents", var id, "runs", var r, "continue"]) => async c => await c.ContinueAgentRunAsync(id, r, cont),
            ("POST", ["teams", var id, "runs", var r, "continue"]) => async c => await c.ContinueTeamRunAsync(id, r, cont),
            ("POST", ["workflows", var id, "runs", var r, "continue"]) => async c => await c.ContinueWorkflowRunAsync(id, r, cont),
            ("GET", ["agents", var id, "runs", var r]) => async c => await c.GetAgentRunAsync(id, r, "s"),
            ("GET", ["teams", var id, "runs", var r]) => async c => await c.GetTeamRunAsync(id, r, "s"),
            ("GET", ["workflows", var id, "runs", var r]) => async c => await c.GetWorkflowRunAsync(id, r, "s"),
            ("GET", ["agents", var id, "runs"]) => async c => await c.ListAgentRunsAsync(id, "s"),
            ("GET", ["sessions"]) => async c => await c.ListSessionsAsync(),
            ("POST", ["sessions"]) => async c => await c.CreateSessionAsync(new CreateSessionRequest()),
            ("GET", ["sessions", var id]) => async c => await c.GetSessionAsync(id),
            ("PATCH", ["sessions", var id]) => async c => await c.UpdateSessionAsync(id, new UpdateSessionRequest { SessionName = "n" }),
            ("POST", ["sessions", var id, "rename"]) => async c => await c.RenameSessionAsync(id, "n"),
            ("GET", ["sessions", var id, "runs"]) => async c => await c.GetSessionRunsAsync(id),
            ("GET", ["sessions", var id, "runs", var r]) => async c => await c.GetSessionRunAsync(id, r),
            ("GET", ["memories"]) => async c => await c.ListMemoriesAsync(),
            ("POST", ["memories"]) => async c => await c.CreateMemoryAsync(new MemoryContent("m")),
            ("GET", ["memories", var id]) => async c => await c.GetMemoryAsync(id),
            ("PATCH", ["memories", var id]) => async c => await c.UpdateMemoryAsync(id, new MemoryContent("m")),
            ("GET", ["memory_topics"]) => async c => await c.GetMemoryTopicsAsync(),
            ("GET", ["user_memory_stats"]) => async c => await c.GetUserMemoryStatsAsync(),
            ("GET", ["metrics"]) => async c => await c.GetMetricsAsync(),
            ("POST", ["metrics", "refresh"]) => async c => await c.RefreshMetricsAsync(),
            ("GET", ["eval-runs"]) => async c => await c.ListEvalRunsAsync(),
            _ => null,
        };
    }

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex IndexFree();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex PlainName();
}

public sealed class ShapeToleranceTests_Agno29() : ShapeToleranceTests(FixtureSet.Agno29);

public sealed class ShapeToleranceTests_Agno30() : ShapeToleranceTests(FixtureSet.Agno30);
