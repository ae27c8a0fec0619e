using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.AgentOS.Hosting.Tests;

/// <summary>The deterministic chat clients of Agno.AgentOS.Hosting.Testing, telemetry, and the public API listing.</summary>
public sealed class ChatClientTests
{
    [Fact]
    public void Words_keep_their_spaces_and_add_up_to_the_text()
    {
        var words = ScriptedChatClient.Words("Echo: hello  streaming world").ToList();

        Assert.Equal(["Echo: ", "hello  ", "streaming ", "world"], words);
        Assert.Equal("Echo: hello  streaming world", string.Concat(words));
    }

    [Fact]
    public async Task The_echo_client_counts_turns_and_media_and_reports_usage()
    {
        var client = new EchoChatClient("Echo: ");
        List<ChatMessage> conversation =
        [
            new(ChatRole.System, "be brief"),
            new(ChatRole.User, "first"),
            new(ChatRole.Assistant, "Echo: first (turn 1)"),
            new(ChatRole.User, [new TextContent("second"), new DataContent(new byte[] { 1 }, "image/png"), new DataContent(new byte[] { 2 }, "text/plain")]),
        ];

        var updates = new List<ChatResponseUpdate>();
        await foreach (var u in client.GetStreamingResponseAsync(conversation))
        {
            updates.Add(u);
        }

        var response = updates.ToChatResponse();
        Assert.Equal("Echo: second [images=1 files=1] (turn 2)", response.Text);
        Assert.True(updates.Count(u => u.Text.Length > 0) > 1);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
        Assert.Equal("echo-model", client.GetService<ChatClientMetadata>()!.DefaultModelId);
        Assert.Equal(1, client.CallCount);
    }

    [Fact]
    public async Task The_echo_client_answers_a_json_schema_with_an_object()
    {
        var client = new EchoChatClient();
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"title":{"type":"string"},"count":{"type":"integer"},"ok":{"type":"boolean"},"tags":{"type":"array"}}}""").RootElement;

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "three little words")], new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "S") });
        var json = JsonDocument.Parse(response.Text).RootElement;

        Assert.Equal("title: three little words", json.GetProperty("title").GetString());
        Assert.Equal(3, json.GetProperty("count").GetInt32());
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal("tags: three little words", json.GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task The_scripted_client_streams_the_scripts_contents_and_sees_the_answers()
    {
        ScriptedChatContext? seen = null;
        var client = new ScriptedChatClient(turn =>
        {
            seen = turn;
            return [new FunctionCallContent("c1", "f"), new FunctionResultContent("c1", "42"), new TextContent("The answer is 42")];
        });
        var call = new FunctionCallContent("c0", "delete");
        List<ChatMessage> conversation =
        [
            new(ChatRole.User, "question"),
            new(ChatRole.Assistant, [new ToolApprovalRequestContent("r0", call)]),
            new(ChatRole.User, [new ToolApprovalResponseContent("r0", true, call)]),
        ];

        var response = await client.GetResponseAsync(conversation);

        Assert.Equal("question", seen!.LastUserText);
        Assert.Equal(1, seen.Turn);
        Assert.True(Assert.Single(seen.ApprovalResponses).Approved);
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], response.Messages.Select(m => m.Role));
        Assert.Equal("The answer is 42", response.Messages[^1].Text);
        Assert.Single(client.Calls);
    }

    [Fact]
    public async Task The_scripted_client_keeps_only_the_latest_conversations_it_may_record()
    {
        var client = new ScriptedChatClient(turn => [new TextContent("re: " + turn.LastUserText)]) { MaxRecordedCalls = 3 };
        var none = new ScriptedChatClient(turn => [new TextContent("ok")]) { MaxRecordedCalls = 0 };
        var byDefault = new ScriptedChatClient(turn => [new TextContent("ok")]);

        for (int i = 0; i < 250; i++)
        {
            await client.GetResponseAsync([new ChatMessage(ChatRole.User, $"m{i}")]);
            await none.GetResponseAsync([new ChatMessage(ChatRole.User, $"m{i}")]);
            await byDefault.GetResponseAsync([new ChatMessage(ChatRole.User, $"m{i}")]);
        }

        var kept = client.Calls;
        client.MaxRecordedCalls = 1;

        Assert.Equal(250, client.CallCount);
        Assert.Equal(["m247", "m248", "m249"], kept.Select(c => c.Single().Text));
        Assert.Equal("m249", Assert.Single(client.Calls).Single().Text);
        Assert.Equal(250, none.CallCount);
        Assert.Empty(none.Calls);
        Assert.Equal(ScriptedChatClient.DefaultMaxRecordedCalls, byDefault.Calls.Count);
        Assert.Equal("m150", byDefault.Calls[0].Single().Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => client.MaxRecordedCalls = -1);
    }

    [Fact]
    public async Task A_run_is_traced_and_counted_with_GenAI_attributes()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Agno.AgentOS.Hosting",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);
        long runs = 0;
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Agno.AgentOS.Hosting")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "agno.run.status" && (string?)tag.Value == "COMPLETED")
                {
                    Interlocked.Add(ref runs, value);
                }
            }
        });
        meters.Start();
        await using var host = await EmbeddedAgentOS.StartAsync(b => b.AddAgent("traced-agent", new EchoChatClient(), a => a.Name = "Traced"));
        using var client = host.CreateClient();

        var output = await client.RunAgentAsync("traced-agent", new RunRequest("hi") { SessionId = "traced-session" });

        Activity activity;
        lock (activities)
        {
            activity = activities.Single(a => (string?)a.GetTagItem("agno.run.id") == output.RunId);
        }

        Assert.Equal("invoke_agent", activity.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("traced-agent", activity.GetTagItem("gen_ai.agent.id"));
        Assert.Equal("Traced", activity.GetTagItem("gen_ai.agent.name"));
        Assert.Equal("traced-session", activity.GetTagItem("gen_ai.conversation.id"));
        Assert.Equal("COMPLETED", activity.GetTagItem("agno.run.status"));
        Assert.True(Interlocked.Read(ref runs) >= 1);
    }
}
