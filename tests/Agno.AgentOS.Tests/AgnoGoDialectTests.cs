using System.Net;
using System.Text;
using Agno.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>Choosing and detecting the dialect; what agno-go cannot do; agno-go's error answers.</summary>
public sealed class AgnoGoDialectTests
{
    [Fact]
    public async Task AgnoGo_auto_detects_agno_go_once_from_health()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("001", "003", "020");
        using var client = AgnoGo.Client(server, AgentOSDialect.Auto);

        var agents = await client.ListAgentsAsync();
        var output = await client.RunAgentAsync("echo-agent", new RunRequest("hello world"));

        Assert.Equal(["GET /health", "GET /api/v1/agents", "POST /api/v1/agents/echo-agent/run"], server.Received.Select(r => r.ToString()));
        Assert.Equal(4, agents.Count);
        Assert.Equal("Echo: hello world", output.Content);
        Assert.Equal(AgentOSDialect.AgnoGo, await client.GetDialectAsync());
        Assert.Equal(3, server.Received.Count);
    }

    [Fact]
    public async Task AgnoGo_auto_against_a_python_server_costs_one_health_request_per_client()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.Agno29);
        server.Serve("001", "005", "005");
        using var client = AgnoGo.Client(server, AgentOSDialect.Auto);

        var first = await client.ListAgentsAsync();
        var second = await client.ListAgentsAsync();

        Assert.Equal(["GET /health", "GET /agents", "GET /agents"], server.Received.Select(r => r.ToString()));
        Assert.Equal(first.Select(a => a.Id), second.Select(a => a.Id));
        Assert.NotEmpty(first);
        Assert.Equal(AgentOSDialect.Python, await client.GetDialectAsync());
    }

    [Fact]
    public async Task AgnoGo_python_is_the_default_and_sends_no_health_request()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.Agno29);
        server.Serve("005");
        using var client = TestSupport.Client(server);

        await client.ListAgentsAsync();

        Assert.Equal(AgentOSDialect.Python, client.Options.Dialect);
        Assert.Equal("GET /agents", Assert.Single(server.Received).ToString());
        Assert.Equal(AgentOSDialect.Python, await client.GetDialectAsync());
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task AgnoGo_auto_detects_on_a_first_stream_too_for_either_dialect()
    {
        await using var go = await AgnoGo.StartAsync();
        go.Serve("001", "030");
        using var goClient = AgnoGo.Client(go, AgentOSDialect.Auto);
        var goStream = goClient.RunAgentStreamingAsync("echo-agent", new RunRequest("hello world"));
        Assert.Empty(go.Received); // nothing is sent before the first MoveNextAsync
        var goResult = await goStream.CollectAsync();
        Assert.Equal(["GET /health", "POST /api/v1/agents/echo-agent/run/stream"], go.Received.Select(r => r.ToString()));
        Assert.Equal("Echo: hello world", goResult.Content);

        await using var python = await ReplayServer.StartAsync(FixtureSet.Agno29);
        python.Serve("001", "021");
        using var pythonClient = AgnoGo.Client(python, AgentOSDialect.Auto);
        var pythonResult = await pythonClient.RunAgentStreamingAsync("echo-agent", new RunRequest("hello streaming world")).CollectAsync();
        Assert.Equal("GET /health", python.Received[0].ToString());
        RequestAssert.Matches(FixtureSet.Agno29.Get("021"), python.Last);
        Assert.True(pythonResult.Status.IsCompleted);
        Assert.Equal(2, python.Received.Count);
    }

    [Fact]
    public async Task AgnoGo_concurrent_first_calls_share_one_detection()
    {
        await using var server = await AgnoGo.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int healthRequests = 0;
        var healthArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler = async context =>
        {
            if (context.Request.Path == "/health")
            {
                Interlocked.Increment(ref healthRequests);
                healthArrived.TrySetResult();
                await release.Task;
                await WriteRecordedAsync(context, AgnoGo.Get("001"));
                return;
            }

            await WriteRecordedAsync(context, AgnoGo.Get("003"));
        };
        using var client = AgnoGo.Client(server, AgentOSDialect.Auto);

        var calls = Enumerable.Range(0, 8).Select(_ => client.ListAgentsAsync()).ToList();
        await healthArrived.Task;
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        release.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.Equal(1, healthRequests);
        Assert.All(results, r => Assert.Equal(4, r.Count));
        Assert.Equal(8, server.Received.Count(r => r.Path == "/api/v1/agents"));
    }

    [Fact]
    public async Task AgnoGo_failed_detection_is_not_cached()
    {
        await using var server = await AgnoGo.StartAsync();
        int health = 0;
        server.Handler = async context =>
        {
            if (context.Request.Path == "/health" && Interlocked.Increment(ref health) == 1)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync("{\"error\":\"boom\"}");
                return;
            }

            await WriteRecordedAsync(context, AgnoGo.Get(context.Request.Path == "/health" ? "001" : "003"));
        };
        using var client = AgnoGo.Client(server, AgentOSDialect.Auto, o => o.Retry.Enabled = false);

        var first = await Assert.ThrowsAsync<AgentOSServerException>(() => client.ListAgentsAsync());
        var agents = await client.ListAgentsAsync();

        Assert.Equal("/health", first.RequestPath is null ? null : "/" + first.RequestPath);
        Assert.Equal(4, agents.Count);
        Assert.Equal(["GET /health", "GET /health", "GET /api/v1/agents"], server.Received.Select(r => r.ToString()));
    }

    public static TheoryData<string> Unsupported => new(UnsupportedCalls.Keys);

    private static readonly Dictionary<string, Func<AgentOSClient, Task>> UnsupportedCalls = new()
    {
        ["cancel"] = c => c.CancelAgentRunAsync("echo-agent", "run-1"),
        ["continue"] = c => c.ContinueAgentRunAsync("echo-agent", "run-1", new ContinueRunRequest("s-1")),
        ["continue streaming"] = c => c.ContinueAgentRunStreamingAsync("echo-agent", "run-1", new ContinueRunRequest("s-1")).ToListAsync(),
        ["background"] = c => c.StartAgentRunInBackgroundAsync("echo-agent", new RunRequest("hi")),
        ["background streaming"] = c => c.RunAgentInBackgroundStreamingAsync("echo-agent", new RunRequest("hi")).ToListAsync(),
        ["stored run"] = c => c.GetAgentRunAsync("echo-agent", "run-1", "s-1"),
        ["team run"] = c => c.RunTeamAsync("team", new RunRequest("hi")),
        ["team stream"] = c => c.RunTeamStreamingAsync("team", new RunRequest("hi")).ToListAsync(),
        ["team details"] = c => c.GetRemoteTeam("no-such-team").GetDetailsAsync().AsTask(),
        ["workflow run"] = c => c.RunWorkflowAsync("wf", new RunRequest("hi")),
        ["workflows"] = c => c.ListWorkflowsAsync(),
        ["memories"] = c => c.CreateMemoryAsync(new MemoryContent("likes tea")),
        ["memory list"] = c => c.ListMemoriesAsync(),
        ["knowledge config"] = c => c.GetKnowledgeConfigAsync(),
        ["knowledge search"] = c => c.SearchKnowledgeAsync(new KnowledgeSearchRequest("tea")),
        ["metrics"] = c => c.GetMetricsAsync(),
        ["evals"] = c => c.ListEvalRunsAsync(),
        ["info"] = c => c.GetInfoAsync(),
        ["version"] = c => c.GetServerVersionAsync(),
        ["models"] = c => c.GetModelsAsync(),
        ["bulk delete"] = c => c.DeleteSessionsAsync(["s-1"]),
        ["session run"] = c => c.GetSessionRunAsync("s-1", "run-1"),
        ["uploads"] = c => c.RunAgentAsync("echo-agent", WithUpload()),
        ["inline image"] = c => c.RunAgentAsync("echo-agent", WithInlineImage()),
        ["session state"] = c => c.RunAgentAsync("echo-agent", new RunRequest("hi") { SessionState = new() { ["a"] = 1 } }),
        ["output schema"] = c => c.RunAgentStreamingAsync("echo-agent", new RunRequest("hi") { OutputSchema = new() { ["type"] = "object" } }).ToListAsync(),
        ["chosen session id"] = c => c.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent", SessionId = "mine" }),
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public async Task AgnoGo_unsupported_operations_throw_one_typed_exception_before_any_request(string operation)
    {
        // the server has agno-go's own knowledge and team routes queued (fixtures 060, 061): none is asked
        await using var server = await AgnoGo.StartAsync();
        server.Serve("060", "061");
        using var client = AgnoGo.Client(server);

        var error = await Assert.ThrowsAsync<AgentOSNotSupportedException>(() => UnsupportedCalls[operation](client));

        Assert.Empty(server.Received);
        Assert.Equal(AgentOSDialect.AgnoGo, error.Dialect);
        Assert.False(string.IsNullOrWhiteSpace(error.Operation));
        Assert.Contains("agno-go", error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Operation!, error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<AgentOSException>(error);
    }

    [Fact]
    public async Task AgnoGo_unsupported_operation_names_what_is_missing()
    {
        await using var server = await AgnoGo.StartAsync();
        using var client = AgnoGo.Client(server);

        var cancel = await Assert.ThrowsAsync<AgentOSNotSupportedException>(() => client.CancelAgentRunAsync("echo-agent", "run-1"));
        var team = await Assert.ThrowsAsync<AgentOSNotSupportedException>(() => client.RunTeamAsync("t", new RunRequest("hi")));
        var memory = await Assert.ThrowsAsync<AgentOSNotSupportedException>(() => client.ListMemoriesAsync());

        Assert.Equal(("cancelling a run", "teams", "memories"), (cancel.Operation, team.Operation, memory.Operation));
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task AgnoGo_unsupported_in_auto_mode_sends_only_the_detection()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("001", "061");
        using var client = AgnoGo.Client(server, AgentOSDialect.Auto);

        var error = await Assert.ThrowsAsync<AgentOSNotSupportedException>(() => client.GetTeamAsync("no-such-team"));

        Assert.Equal("teams", error.Operation);
        Assert.Equal("GET /health", Assert.Single(server.Received).ToString());
    }

    [Fact]
    public async Task AgnoGo_history_on_a_python_server_is_not_supported()
    {
        await using var server = await ReplayServer.StartAsync(FixtureSet.Agno29);
        using var client = TestSupport.Client(server);

        var error = await Assert.ThrowsAsync<AgentOSNotSupportedException>(() => client.GetAgnoGoSessionHistoryAsync("s-1"));

        Assert.Equal(AgentOSDialect.Python, error.Dialect);
        Assert.Empty(server.Received);
    }

    [Fact]
    public void AgnoGo_dialect_and_api_path_bind_from_configuration_and_are_validated()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agno:AgentOS:BaseAddress"] = "http://localhost:8080",
            ["Agno:AgentOS:Dialect"] = "AgnoGo",
            ["Agno:AgentOS:AgnoGoApiPath"] = "p/api/v1",
        }).Build();
        var services = new ServiceCollection();
        services.AddAgnoAgentOS(configuration.GetSection("Agno:AgentOS"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AgentOSClientOptions>>().Value;
        Assert.Equal((AgentOSDialect.AgnoGo, "p/api/v1"), (options.Dialect, options.AgnoGoApiPath));
        Assert.Equal(AgentOSDialect.AgnoGo, provider.GetRequiredService<AgentOSClient>().Options.Dialect);

        var bad = new AgentOSClientOptions { BaseAddress = new Uri("http://localhost:8080"), AgnoGoApiPath = "api/../v1" };
        Assert.Contains("AgnoGoApiPath", Assert.Throws<ArgumentException>(() => AgentOSClient.Validate(bad)).Message, StringComparison.Ordinal);
        var undefined = new AgentOSClientOptions { BaseAddress = new Uri("http://localhost:8080"), Dialect = (AgentOSDialect)7 };
        Assert.Contains("Dialect", Assert.Throws<ArgumentException>(() => AgentOSClient.Validate(undefined)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgnoGo_run_errors_map_onto_the_exception_family_with_their_codes()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("025", "026", "028", "050", "052", "054", "056");
        using var client = AgnoGo.Client(server);

        var media = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", new RunRequest("x")));
        Assert.Equal(("INVALID_MEDIA", "invalid media payload: media[0]: unsupported type \"pdf\""), (media.ErrorType, media.Detail));
        var session = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hi") { SessionId = "no-such-session" }));
        RequestAssert.Matches(AgnoGo.Get("026"), server.Last);
        Assert.Equal(("SESSION_NOT_FOUND", "session not found"), (session.ErrorType, session.Detail));
        var failed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentAsync("fail-agent", new RunRequest("hi")));
        RequestAssert.Matches(AgnoGo.Get("028"), server.Last);
        Assert.Equal(("EXECUTION_ERROR", HttpStatusCode.InternalServerError), (failed.ErrorType, failed.StatusCode));
        Assert.Equal("[API_ERROR] model invocation failed: upstream model unavailable", failed.Detail);
        var agent = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentAsync("no-such-agent", new RunRequest("hi")));
        RequestAssert.Matches(AgnoGo.Get("050"), server.Last);
        Assert.Equal(("AGENT_NOT_FOUND", "agent with ID 'no-such-agent' not found"), (agent.ErrorType, agent.Detail));
        var json = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hi")));
        Assert.Equal(("INVALID_REQUEST", "invalid character '}' looking for beginning of object key string"), (json.ErrorType, json.Detail));
        var blank = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", new RunRequest("   ")));
        RequestAssert.Matches(AgnoGo.Get("054"), server.Last);
        Assert.Equal(("INVALID_REQUEST", "input or media payload is required"), (blank.ErrorType, blank.Detail));
        var type = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", new RunRequest("hi")));
        Assert.Equal("INVALID_REQUEST", type.ErrorType);
        Assert.StartsWith("json: cannot unmarshal number", type.Detail, StringComparison.Ordinal);
        Assert.Empty(server.Unmatched);
    }

    [Fact]
    public async Task AgnoGo_run_timeout_408_is_a_cancelled_run_failure()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Handler = async context =>
        {
            context.Response.StatusCode = 408;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync("{\"error\":\"agent execution failed\",\"message\":\"[RUN_CANCELLED] agent run cancelled: context deadline exceeded\",\"code\":\"RUN_CANCELLED\"}");
        };
        using var client = AgnoGo.Client(server);

        var error = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentAsync("echo-agent", new RunRequest("slow")));

        Assert.Equal(("RUN_CANCELLED", HttpStatusCode.RequestTimeout), (error.ErrorType, error.StatusCode));
        Assert.StartsWith("[RUN_CANCELLED]", error.Detail, StringComparison.Ordinal);
        Assert.Single(server.Received); // a run is never retried
    }

    [Fact]
    public async Task AgnoGo_stream_route_errors_map_onto_the_exception_family()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("051", "053", "055", "057");
        using var client = AgnoGo.Client(server);

        var agent = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentStreamingAsync("no-such-agent", new RunRequest("hi")).ToListAsync());
        RequestAssert.Matches(AgnoGo.Get("051"), server.Last);
        Assert.Equal(("AGENT_NOT_FOUND", "agent with ID 'no-such-agent' not found"), (agent.ErrorType, agent.Detail));
        var json = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest("hi")).ToListAsync());
        Assert.Equal("INVALID_REQUEST", json.ErrorType);
        var empty = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest(string.Empty) { SessionId = "5e551010-0000-4000-8000-000000000001" }).ToListAsync());
        RequestAssert.Matches(AgnoGo.Get("055"), server.Last);
        Assert.Equal(("INVALID_REQUEST", "input or media payload is required"), (empty.ErrorType, empty.Detail));
        var session = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.RunAgentStreamingAsync("echo-agent", new RunRequest("hi") { SessionId = "no-such-session" }).ToListAsync());
        RequestAssert.Matches(AgnoGo.Get("057"), server.Last);
        Assert.Equal("SESSION_NOT_FOUND", session.ErrorType);
    }

    [Fact]
    public async Task AgnoGo_session_errors_keep_their_status_body_shape()
    {
        await using var server = await AgnoGo.StartAsync();
        server.Serve("011", "012");
        using var client = AgnoGo.Client(server);

        var missing = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.CreateSessionAsync(new CreateSessionRequest { UserId = "user-1" }));
        RequestAssert.Matches(AgnoGo.Get("011"), server.Last);
        Assert.Equal("INVALID_REQUEST", missing.ErrorType);
        Assert.Contains("'required' tag", missing.Detail, StringComparison.Ordinal);
        var eof = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.CreateSessionAsync(new CreateSessionRequest { AgentId = "echo-agent" }));
        Assert.Equal(("INVALID_REQUEST", "EOF"), (eof.ErrorType, eof.Detail));
    }

    private static RunRequest WithUpload()
    {
        var r = new RunRequest("hi");
        r.Files.Add(new FileUpload("a.txt", "text/plain", Encoding.UTF8.GetBytes("a")));
        return r;
    }

    private static RunRequest WithInlineImage()
    {
        var r = new RunRequest("hi");
        r.Images.Add(MediaItem.FromBytes(new byte[] { 1, 2, 3 }, "image/png"));
        return r;
    }

    internal static async Task WriteRecordedAsync(HttpContext context, RecordedExchange exchange)
    {
        context.Response.StatusCode = exchange.StatusCode;
        context.Response.ContentType = exchange.ResponseHeader("Content-Type");
        await context.Response.Body.WriteAsync(exchange.ResponseBody);
    }
}
