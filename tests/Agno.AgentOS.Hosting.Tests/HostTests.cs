using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Agno.AgentOS.Hosting.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;
using static Agno.AgentOS.Hosting.Tests.Support.HostHttp;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>Options, mounting, limits, media, structured output and the other edges of the host.</summary>
public sealed class HostTests
{
    [Fact]
    public void Options_bind_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentOS:OsId"] = "configured-os",
            ["AgentOS:Name"] = "Configured",
            ["AgentOS:SecurityKey"] = "from-config",
            ["AgentOS:MaxRequestBodySize"] = "4096",
            ["AgentOS:ForwardAuthorization"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddAgentOS(configuration.GetSection("AgentOS"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<AgentOSHostOptions>>().Value;

        Assert.Equal(("configured-os", "Configured", "from-config", 4096L, true), (options.OsId, options.Name, options.SecurityKey, options.MaxRequestBodySize, options.ForwardAuthorization));
        Assert.IsType<InMemoryAgentOSSessionStore>(provider.GetRequiredService<IAgentOSSessionStore>());
    }

    [Fact]
    public async Task The_routes_can_be_mounted_under_a_prefix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAgentOS(o => o.OsId = "prefixed").AddAgent("echo-agent", new EchoChatClient());
        await using var app = builder.Build();
        app.MapAgentOS("/agentos");
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new AgentOSClient(new Uri(address, "agentos/"));
        using var http = new HttpClient { BaseAddress = address };

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("under a prefix"));
        var home = await client.GetApiHomeAsync();
        using var root = await http.GetAsync("agents");

        Assert.Equal("Echo: under a prefix (turn 1)", output.Content);
        Assert.Equal("prefixed", home.Id);
        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task Agents_can_come_from_dependency_injection()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b =>
        {
            b.Services.AddSingleton<IChatClient>(new EchoChatClient("DI: "));
            b.AddAgent(sp => new HostedAgent("di-agent", sp.GetRequiredService<IChatClient>()) { Name = "From DI" });
        });
        using var client = host.CreateClient();

        var output = await client.RunAgentAsync("di-agent", new RunRequest("hi"));

        Assert.Equal("DI: hi (turn 1)", output.Content);
        Assert.Equal("From DI", output.AgentName);
    }

    [Fact]
    public async Task Two_components_with_one_id_are_refused_at_startup()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => EmbeddedAgentOS.StartAsync(b => b
            .AddAgent("twin", new EchoChatClient())
            .AddAgent("twin", new EchoChatClient())));

        Assert.Contains("'twin'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413()
    {
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("echo-agent", new EchoChatClient()), o => o.MaxRequestBodySize = 1024);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        string big = new('x', 5000);

        using var withLength = await http.PostAsync("agents/echo-agent/runs", new FormUrlEncodedContent([new("message", big), new("stream", "false")]));
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("stream=false&message=" + big)));
        chunked.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "agents/echo-agent/runs") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var withoutLength = await http.SendAsync(request);
        using var small = await http.PostAsync("agents/echo-agent/runs", new FormUrlEncodedContent([new("message", "ok"), new("stream", "false")]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withLength.StatusCode);
        Assert.Equal("Request body too large", await DetailAsync(withLength));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, withoutLength.StatusCode);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Fact]
    public async Task Uploaded_and_json_media_reach_the_chat_client()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mP4z8AARAwQCgAf7gP9Y167WwAAAABJRU5ErkJggg==");
        var upload = new RunRequest("look");
        upload.Files.Add(new FileUpload("red.png", "image/png", png));
        upload.Files.Add(new FileUpload("notes.txt", "text/plain", Encoding.UTF8.GetBytes("some notes")));
        var json = new RunRequest("read");
        json.InputFiles.Add(MediaItem.FromBytes(Encoding.UTF8.GetBytes("hello"), "text/plain", "hello.txt"));
        var exe = new RunRequest("run this");
        exe.Files.Add(new FileUpload("tool.exe", "application/x-msdownload", new byte[] { 0x4d, 0x5a }));

        var uploaded = await client.RunAgentAsync("echo-agent", upload);
        var fromJson = await client.RunAgentAsync("echo-agent", json);
        var refused = await Assert.ThrowsAsync<AgentOSBadRequestException>(() => client.RunAgentAsync("echo-agent", exe));

        Assert.Equal("Echo: look [images=1 files=1] (turn 1)", uploaded.Content);
        Assert.Equal("png", uploaded.Input!.Value.GetProperty("images")[0].GetProperty("format").GetString());
        Assert.Equal("some notes", uploaded.Input!.Value.GetProperty("files")[0].GetProperty("content").GetString());
        Assert.Equal("Echo: read [files=1] (turn 1)", fromJson.Content);
        Assert.Equal("Unsupported file type", refused.Detail);
    }

    [Fact]
    public async Task An_output_schema_makes_the_content_an_object_named_after_the_schema()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        var schema = JsonNode.Parse("""{"title":"Summary","type":"object","properties":{"title":{"type":"string"},"word_count":{"type":"integer"}}}""")!.AsObject();

        var output = await client.RunAgentAsync("echo-agent", new RunRequest("summarize this text") { OutputSchema = schema });
        var streamed = await client.RunAgentStreamingAsync("echo-agent", new RunRequest("summarize this text") { OutputSchema = (JsonObject)schema.DeepClone() }).CollectAsync();

        Assert.Equal("Summary", output.ContentType);
        Assert.Equal(3, output.GetStructuredContent()!.Value.GetProperty("word_count").GetInt32());
        Assert.Equal("title: summarize this text", streamed.GetStructuredContent()!.Value.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Closing_the_stream_cancels_the_run()
    {
        var probe = new CancellationProbe();
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("slow-agent", probe));
        // No draining of the unread (endless) body when the response is disposed: the connection closes at once.
        using var http = new HttpClient(new SocketsHttpHandler { ResponseDrainTimeout = TimeSpan.Zero, MaxResponseDrainSize = 0 }) { BaseAddress = host.BaseAddress };
        using var client = host.CreateClient();

        string runId;
        using (var request = new HttpRequestMessage(HttpMethod.Post, "agents/slow-agent/runs") { Content = new FormUrlEncodedContent([new("message", "go"), new("session_id", "closed")]) })
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            string? line;
            do
            {
                line = await reader.ReadLineAsync();
            }
            while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));

            runId = JsonNode.Parse(line![6..])!["run_id"]!.GetValue<string>();
        }

        Assert.True(await probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        AgentRunOutput? stored = null;
        for (int i = 0; i < 600 && stored?.Status.IsCancelled != true; i++) // the store write follows the cancellation: poll (up to 30 s on a loaded machine)
        {
            try
            {
                stored = await client.GetAgentRunAsync("slow-agent", runId, "closed");
            }
            catch (AgentOSNotFoundException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(RunStatus.Cancelled, stored!.Status);
    }

    [Fact]
    public async Task A_cancelled_run_cannot_be_continued()
    {
        var probe = new CancellationProbe();
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("slow-agent", probe));
        using var client = host.CreateClient();
        string? runId = null;
        await foreach (var e in client.RunAgentStreamingAsync("slow-agent", new RunRequest("go") { SessionId = "no-continue" }))
        {
            if (runId is null)
            {
                runId = e.RunId;
                await client.CancelAgentRunAsync("slow-agent", runId!);
            }
        }

        var conflict = await Assert.ThrowsAsync<AgentOSConflictException>(() => client.ContinueAgentRunAsync("slow-agent", runId!, new ContinueRunRequest("no-continue")));
        var missing = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => client.ContinueAgentRunAsync("slow-agent", "nope", new ContinueRunRequest("no-continue")));

        Assert.Equal($"Cannot continue run {runId}: run is cancelled", conflict.Detail);
        Assert.Equal("No runs found for run ID nope", missing.Detail); // agno's RunNotFoundError for an agent run
    }

    [Fact]
    public async Task A_model_that_never_stops_calling_tools_is_stopped()
    {
        var looping = new ScriptedChatClient(_ => [FixtureComponents.Call("add", new JsonObject { ["a"] = 1, ["b"] = 1 })]);
        var agent = new HostedAgent("looping", looping);
        agent.Tools.Add(AIFunctionFactory.Create((int a, int b) => a + b, "add"));
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent(agent), o => o.MaxModelCallsPerRun = 3);
        using var client = host.CreateClient();

        var failed = await Assert.ThrowsAsync<AgentOSRunFailedException>(() => client.RunAgentAsync("looping", new RunRequest("loop")));

        Assert.Contains("MaxModelCallsPerRun", failed.Detail, StringComparison.Ordinal);
        Assert.Equal(3, looping.CallCount);
        Assert.Equal(RunStatus.Error, failed.Output!.Status);
    }

    [Fact]
    public async Task A_team_member_that_does_not_exist_is_reported_to_the_leader()
    {
        var leader = FixtureComponents.LeaderScript("ghost");
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddTeam(new HostedTeam("t", leader, new HostedAgent("real", new EchoChatClient()))));
        using var client = host.CreateClient();

        var output = await client.RunTeamAsync("t", new RunRequest("hello"));

        Assert.StartsWith("Team: Member with ID ghost not found", output.Content, StringComparison.Ordinal);
        Assert.True(output.Tools!.Single().ToolCallError);
    }

    [Fact]
    public async Task Session_routes_create_rename_update_and_delete()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var created = await http.PostAsync("sessions?type=agent", Json(new JsonObject { ["session_id"] = "crud", ["session_name"] = "one", ["agent_id"] = "echo-agent" }));
        using var duplicate = await http.PostAsync("sessions?type=agent", Json(new JsonObject { ["session_id"] = "crud" }));
        using var renamed = await http.PostAsync("sessions/crud/rename?type=agent", Json(new JsonObject { ["session_name"] = "two" }));
        using var patched = await http.PatchAsync("sessions/crud?type=agent", Json(new JsonObject { ["session_state"] = new JsonObject { ["k"] = 1 } }));
        var afterPatch = JsonNode.Parse(await http.GetStringAsync("sessions/crud?type=agent"))!;
        using var wrongType = await http.GetAsync("sessions/crud?type=team");
        using var deleted = await http.DeleteAsync("sessions/crud");
        using var gone = await http.GetAsync("sessions/crud?type=agent");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("two", JsonNode.Parse(await renamed.Content.ReadAsStringAsync())!["session_name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(("two", 1), (afterPatch["session_name"]!.GetValue<string>(), afterPatch["session_state"]!["k"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NotFound, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("Agent Session with id 'crud' not found", await DetailAsync(gone));
    }

    [Fact]
    public async Task A_team_session_lists_the_member_run_before_the_team_run_as_AgentOS_does()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var run = await client.RunTeamAsync("echo-team", new RunRequest("for the session") { SessionId = "team-session", UserId = "u" });
        var runs = JsonNode.Parse(await http.GetStringAsync("sessions/team-session/runs?type=team"))!.AsArray();
        var one = JsonNode.Parse(await http.GetStringAsync($"sessions/team-session/runs/{run.RunId}?type=team"))!;
        string memberRunId = run.MemberResponses!.Single().RunId!;
        var member = JsonNode.Parse(await http.GetStringAsync($"sessions/team-session/runs/{memberRunId}?type=team"))!;
        var detail = JsonNode.Parse(await http.GetStringAsync("sessions/team-session?type=team"))!;
        var list = JsonNode.Parse(await http.GetStringAsync("sessions?type=team&user_id=u"))!;

        Assert.Equal([memberRunId, run.RunId], runs.Select(r => r!["run_id"]!.GetValue<string>()));
        Assert.Equal((run.RunId, "echo-member", "Member: for the session (turn 1)"), (runs[0]!["parent_run_id"]!.GetValue<string>(), runs[0]!["agent_id"]!.GetValue<string>(), runs[0]!["content"]!.GetValue<string>()));
        Assert.False(runs[1]!.AsObject().ContainsKey("parent_run_id") && runs[1]!["parent_run_id"]!.GetValue<string>().Length > 0);
        Assert.Equal("echo-team", runs[1]!["team_id"]!.GetValue<string>());
        Assert.Equal("echo-team", one["team_id"]!.GetValue<string>());
        Assert.Equal((run.RunId, "echo-member"), (member["parent_run_id"]!.GetValue<string>(), member["agent_id"]!.GetValue<string>()));
        // the chat history is the team's own conversation (AgentOS skips member messages there)
        Assert.Equal(["user", "assistant", "assistant"], detail["chat_history"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("Team: Member: for the session (turn 1)", detail["chat_history"]![2]!["content"]!.GetValue<string>());
        Assert.Equal("for the session", list["data"]![0]!["session_name"]!.GetValue<string>());
        Assert.Equal(1, list["meta"]!["total_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_workflow_session_lists_its_runs_with_the_step_runs_inside()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var client = host.CreateClient();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var run = await client.RunWorkflowAsync("echo-workflow", new RunRequest("steps") { SessionId = "wf-session" });
        var runs = JsonNode.Parse(await http.GetStringAsync("sessions/wf-session/runs?type=workflow"))!.AsArray();

        var only = Assert.Single(runs)!;
        Assert.Equal(run.RunId, only["run_id"]!.GetValue<string>());
        var stepRun = Assert.Single(only["step_executor_runs"]!.AsArray())!;
        Assert.Equal(("workflow-echo-agent", run.RunId), (stepRun["agent_id"]!.GetValue<string>(), stepRun["parent_run_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_session_gets_the_404_text_of_each_AgentOS_route()
    {
        await using var host = await FixtureHost.StartAsync(FixtureComponents.AddBasic);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        await host.CreateClient().RunAgentAsync("echo-agent", new RunRequest("one") { SessionId = "known" });
        Assert.Equal("Agent Session with id 'ghost' not found", await NotFoundAsync(await http.GetAsync("sessions/ghost?type=agent")));
        Assert.Equal("Team Session with id 'ghost' not found", await NotFoundAsync(await http.GetAsync("sessions/ghost?type=team")));
        Assert.Equal("Session with id 'ghost' not found", await NotFoundAsync(await http.GetAsync("sessions/ghost")));
        Assert.Equal("Session with ID ghost not found", await NotFoundAsync(await http.GetAsync("sessions/ghost/runs")));
        Assert.Equal("Session with ID ghost not found", await NotFoundAsync(await http.GetAsync("sessions/ghost/runs/r")));
        Assert.Equal("Run with ID nope not found in session known", await NotFoundAsync(await http.GetAsync("sessions/known/runs/nope")));
        Assert.Equal("Session with id 'ghost' not found", await NotFoundAsync(await http.PostAsync("sessions/ghost/rename", Json(new JsonObject { ["session_name"] = "x" }))));
        Assert.Equal("Session with id 'ghost' not found", await NotFoundAsync(await http.PatchAsync("sessions/ghost", Json(new JsonObject { ["session_name"] = "x" }))));
    }
}
