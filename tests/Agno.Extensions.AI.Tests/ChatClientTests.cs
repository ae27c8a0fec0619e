using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Agno.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Extensions.AI.Tests;

public sealed class ChatClientTests
{
    [Fact]
    public async Task Non_streaming_response_maps_text_ids_model_usage_and_raw_output()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        var response = await chat.GetResponseAsync("hello world");

        RequestAssert.Matches(Fixtures.Get("020"), server.Last);
        Assert.Equal("Echo: hello world (turn 1)", response.Text);
        var message = Assert.Single(response.Messages);
        Assert.Equal(ChatRole.Assistant, message.Role);
        Assert.Equal("Echo Agent", message.AuthorName);
        Assert.Equal("966075d6-9be7-49b9-9f6a-26dcc4cabddd", response.ResponseId);
        Assert.Equal("966075d6-9be7-49b9-9f6a-26dcc4cabddd", message.MessageId);
        Assert.Equal("cb0cc367-022a-444d-8a5c-9a2c4735d9fb", response.ConversationId);
        Assert.Equal("echo-model", response.ModelId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1795305470), response.CreatedAt);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(10, response.Usage!.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.Equal(15, response.Usage.TotalTokenCount);
        Assert.Null(response.Usage.ReasoningTokenCount);
        var raw = Assert.IsType<AgentRunOutput>(response.RawRepresentation);
        Assert.Equal("echo-agent", raw.AgentId);
        Assert.Null(response.ContinuationToken);
    }

    [Fact]
    public async Task Streaming_yields_an_update_per_delta_with_ids_and_usage_at_the_end()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("hello streaming world").ToListAsync();

        RequestAssert.Matches(Fixtures.Get("021"), server.Last);
        Assert.Equal(TestSupport.RecordedEvents("021").Count, updates.Count);
        var textUpdates = updates.Where(u => u.Contents.OfType<TextContent>().Any()).ToList();
        Assert.Equal(["Echo: ", "hello ", "streaming ", "world ", "(turn ", "1)"], textUpdates.Select(u => u.Text));
        Assert.Equal("Echo: hello streaming world (turn 1)", updates.Text());
        Assert.All(updates, u =>
        {
            Assert.Equal("37c25b58-f49e-44be-8aa0-7cd15514d865", u.ResponseId);
            Assert.Equal("37c25b58-f49e-44be-8aa0-7cd15514d865", u.MessageId);
            Assert.Equal("f761e891-1422-4433-949b-be5672e2e3cd", u.ConversationId);
            Assert.Equal(ChatRole.Assistant, u.Role);
            Assert.IsAssignableFrom<AgentOSEvent>(u.RawRepresentation);
        });
        Assert.All(textUpdates, u => Assert.Equal("echo-model", u.ModelId));

        var last = updates[^1];
        Assert.IsType<RunCompletedEvent>(last.RawRepresentation);
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents));
        Assert.Equal(10, usage.Details.InputTokenCount);
        Assert.Equal(5, usage.Details.OutputTokenCount);
        Assert.Equal(15, usage.Details.TotalTokenCount);

        var response = updates.ToChatResponse();
        Assert.Equal("Echo: hello streaming world (turn 1)", response.Text);
        Assert.Single(response.Messages);
        Assert.Equal("Echo Agent", response.Messages[0].AuthorName);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("f761e891-1422-4433-949b-be5672e2e3cd", response.ConversationId);
    }

    [Fact]
    public async Task Streaming_without_activity_updates_yields_only_updates_with_content_or_finish()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("021");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient(new AgnoChatClientOptions { IncludeActivityUpdates = false });

        var updates = await chat.GetStreamingResponseAsync("hello streaming world").ToListAsync();

        Assert.Equal(7, updates.Count);
        Assert.All(updates, u => Assert.NotEmpty(u.Contents));
        Assert.Equal("Echo: hello streaming world (turn 1)", updates.Text());
    }

    [Fact]
    public async Task Conversation_id_round_trip_sends_the_returned_session_and_only_the_new_input()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020", "031");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        List<ChatMessage> history = [new(ChatRole.User, "hello world")];

        var first = await chat.GetResponseAsync(history);
        Assert.False(TestSupport.Form(server.Last).ContainsKey("session_id"));
        history.AddRange(first.Messages);
        history.Add(new ChatMessage(ChatRole.User, "second message"));
        var second = await chat.GetResponseAsync(history, new ChatOptions { ConversationId = first.ConversationId });

        var form = TestSupport.Form(server.Last);
        Assert.Equal(first.ConversationId, form["session_id"]);
        Assert.Equal("second message", form["message"]);
        Assert.Equal("fixture-session-1", second.ConversationId);
        Assert.Equal("Echo: second message (turn 2)", second.Text);
    }

    [Fact]
    public async Task Conversation_id_and_user_id_match_the_recorded_second_turn()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("031");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient(new AgnoChatClientOptions { UserId = "fixture-user" });
        ChatMessage[] messages =
        [
            new(ChatRole.User, "first message"),
            new(ChatRole.Assistant, "Echo: first message (turn 1)"),
            new(ChatRole.User, "second message"),
        ];

        var response = await chat.GetResponseAsync(messages, new ChatOptions { ConversationId = "fixture-session-1" });

        RequestAssert.Matches(Fixtures.Get("031"), server.Last);
        Assert.Equal("fixture-session-1", response.ConversationId);
    }

    [Fact]
    public async Task Streaming_with_conversation_id_matches_the_recorded_third_turn_and_carries_it_on_every_update()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("032");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        ChatMessage[] messages = [new(ChatRole.Assistant, "Echo: second message (turn 2)"), new(ChatRole.User, "third message")];
        var options = new ChatOptions { ConversationId = "fixture-session-1", AdditionalProperties = new() { [AgnoPropertyNames.UserId] = "fixture-user" } };

        var updates = await chat.GetStreamingResponseAsync(messages, options).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("032"), server.Last);
        Assert.NotEmpty(updates);
        Assert.All(updates, u => Assert.Equal("fixture-session-1", u.ConversationId));
        Assert.Contains("third message", updates.Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_conversation_id_earlier_turns_are_sent_as_a_json_list_of_messages()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Answer briefly."),
            new(ChatRole.User, "first message"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "lookup"), new TextContent("Echo: first message (turn 1)")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "ignored")]),
            new(ChatRole.User, "second message"),
        ];

        await chat.GetResponseAsync(messages);

        var form = TestSupport.Form(server.Last);
        Assert.False(form.ContainsKey("session_id"));
        Assert.Equal("false", form["stream"]);
        var list = JsonNode.Parse(form["message"]!)!.AsArray();
        Assert.Equal(
            [("system", "Answer briefly."), ("user", "first message"), ("assistant", "Echo: first message (turn 1)"), ("user", "second message")],
            list.Select(m => ((string)m!["role"]!, (string)m["content"]!)));
    }

    [Fact]
    public async Task With_conversation_id_instructions_and_every_system_message_lead_the_text_and_none_is_dropped()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("031");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        ChatMessage[] messages =
        [
            new(ChatRole.System, "Answer briefly."),
            new(ChatRole.User, "first message"),
            new(ChatRole.Assistant, "Echo: first message (turn 1)"),
            new(ChatRole.User, "second message"),
            new(ChatRole.System, "Be formal."),
        ];

        await chat.GetResponseAsync(messages, new ChatOptions { ConversationId = "fixture-session-1", Instructions = "Use English." });

        Assert.Equal(
            "system: Use English.\n\nsystem: Answer briefly.\n\nsystem: Be formal.\n\nsecond message",
            TestSupport.Form(server.Last)["message"]);
    }

    [Fact]
    public async Task Without_conversation_id_instructions_lead_a_single_message_and_are_the_first_system_message_of_a_history()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020", "020");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var options = new ChatOptions { Instructions = "Use English." };

        await chat.GetResponseAsync("hello world", options);
        string single = TestSupport.Form(server.Last)["message"]!;
        await chat.GetResponseAsync([new(ChatRole.System, "Answer briefly."), new(ChatRole.User, "hello world")], options);
        var list = JsonNode.Parse(TestSupport.Form(server.Last)["message"]!)!.AsArray();

        Assert.Equal("system: Use English.\n\nhello world", single);
        Assert.Equal(
            [("system", "Use English."), ("system", "Answer briefly."), ("user", "hello world")],
            list.Select(m => ((string)m!["role"]!, (string)m["content"]!)));
    }

    [Fact]
    public async Task Instructions_alone_are_no_new_input()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        ChatMessage[] messages = [new(ChatRole.System, "Answer briefly."), new(ChatRole.User, "hi"), new(ChatRole.Assistant, "Echo: hi")];

        await Assert.ThrowsAsync<ArgumentException>(() => chat.GetResponseAsync(messages, new ChatOptions { ConversationId = "s", Instructions = "Use English." }));

        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Additional_properties_map_to_user_session_state_dependencies_metadata_and_run_parameters()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("140", "141");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var options = new ChatOptions
        {
            ConversationId = "fixture-extras-session",
            AdditionalProperties = new()
            {
                [AgnoPropertyNames.UserId] = "extras-user",
                [AgnoPropertyNames.SessionState] = new JsonObject { ["cart"] = new JsonArray("apple"), ["step"] = 1 },
                [AgnoPropertyNames.Dependencies] = "{\"tenant\": \"acme\", \"region\": \"eu\"}",
                [AgnoPropertyNames.Metadata] = new Dictionary<string, object?> { ["source"] = "fixture", ["trace"] = "abc-123" },
            },
        };

        var response = await chat.GetResponseAsync("extras turn one", options);

        RequestAssert.Matches(Fixtures.Get("140"), server.Last);
        var state = Assert.IsType<JsonObject>(response.AdditionalProperties![AgnoPropertyNames.SessionState]);
        Assert.Equal(1, (int)state["step"]!);

        var second = new ChatOptions
        {
            ConversationId = "fixture-extras-session",
            AdditionalProperties = new()
            {
                [AgnoPropertyNames.UserId] = "extras-user",
                [AgnoPropertyNames.RunParameters] = new Dictionary<string, object?> { ["add_history_to_context"] = false },
            },
        };
        await chat.GetResponseAsync("extras turn two", second);
        RequestAssert.Matches(Fixtures.Get("141"), server.Last);
    }

    [Fact]
    public async Task Knowledge_filters_run_parameters_and_request_options_reach_the_request()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var requestOptions = new AgentOSRequestOptions { ApiKey = "end-user-token" };
        requestOptions.Headers["X-Trace"] = "t-1";
        var options = new ChatOptions
        {
            AdditionalProperties = new()
            {
                [AgnoPropertyNames.KnowledgeFilters] = new JsonObject { ["topic"] = "billing" },
                [AgnoPropertyNames.RunParameters] = new JsonObject { ["debug_mode"] = true, ["retries"] = 3, ["tag"] = "a" },
                [AgnoPropertyNames.RequestOptions] = requestOptions,
                ["some.other.key"] = "ignored",
            },
            Temperature = 0.1f,
            Instructions = "ignored: AgentOS runs its own model",
        };

        await chat.GetResponseAsync("hello world", options);

        var form = TestSupport.Form(server.Last);
        Assert.Equal("{\"topic\":\"billing\"}", form["knowledge_filters"]);
        Assert.Equal("true", form["debug_mode"]);
        Assert.Equal("3", form["retries"]);
        Assert.Equal("a", form["tag"]);
        Assert.Equal(["debug_mode", "knowledge_filters", "message", "retries", "stream", "tag"], form.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Bearer end-user-token", server.Last.Authorization);
        Assert.Equal("t-1", server.Last.Headers["X-Trace"]);
    }

    [Fact]
    public async Task Raw_representation_factory_supplies_typed_run_fields()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("142");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var options = new ChatOptions
        {
            ConversationId = "fixture-extras-session",
            RawRepresentationFactory = _ => new RunRequest(string.Empty) { UserId = "extras-user", StreamEvents = false },
        };

        var updates = await chat.GetStreamingResponseAsync("quiet stream please", options).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("142"), server.Last);
        Assert.All(updates, u => Assert.IsType<RunContentEvent>(u.RawRepresentation));
        Assert.False(string.IsNullOrEmpty(updates.Text()));
        Assert.All(updates, u => Assert.Null(u.FinishReason));
    }

    [Fact]
    public async Task Streaming_final_update_carries_the_session_state()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("143");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient(new AgnoChatClientOptions { UserId = "extras-user" });
        var options = new ChatOptions
        {
            ConversationId = "fixture-extras-session",
            AdditionalProperties = new()
            {
                [AgnoPropertyNames.SessionState] = TestSupport.Json("{\"step\": 2}"),
                [AgnoPropertyNames.Metadata] = new JsonObject { ["source"] = "fixture-stream" },
            },
        };

        var updates = await chat.GetStreamingResponseAsync("stateful stream", options).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("143"), server.Last);
        var state = Assert.IsType<JsonObject>(updates[^1].AdditionalProperties![AgnoPropertyNames.SessionState]);
        Assert.Equal(2, (int)state["step"]!);
        // ToChatResponse scopes update properties to the message (the updates carry a MessageId).
        Assert.Same(state, updates.ToChatResponse().Messages[0].AdditionalProperties![AgnoPropertyNames.SessionState]);
    }

    [Fact]
    public async Task Reasoning_maps_to_text_reasoning_content_not_to_the_answer()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("130");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("thinking-agent").AsIChatClient();

        var response = await chat.GetResponseAsync("why is the sky blue");

        RequestAssert.Matches(Fixtures.Get("130"), server.Last);
        Assert.Equal("Think: why is the sky blue (turn 1)", response.Text);
        var reasoning = Assert.Single(response.Messages[0].Contents.OfType<TextReasoningContent>());
        Assert.Equal("Thinking about 'why is the sky blue': I will echo it back.", reasoning.Text);
    }

    [Fact]
    public async Task Streamed_reasoning_deltas_become_reasoning_updates()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("131");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("thinking-agent").AsIChatClient();

        var updates = await chat.GetStreamingResponseAsync("why is the sky blue").ToListAsync();

        RequestAssert.Matches(Fixtures.Get("131"), server.Last);
        string reasoning = string.Concat(updates.SelectMany(u => u.Contents.OfType<TextReasoningContent>()).Select(r => r.Text));
        Assert.Equal("Thinking about 'why is the sky blue': I will echo it back.", reasoning);
        Assert.Equal("Think: why is the sky blue (turn 1)", updates.Text());
        var response = updates.ToChatResponse();
        Assert.Equal("Think: why is the sky blue (turn 1)", response.Text);
        Assert.Equal(15, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task Json_schema_response_format_becomes_the_output_schema()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("135");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        var schema = TestSupport.Json("""
            {"type": "object", "properties": {"title": {"type": "string"}, "word_count": {"type": "integer"},
             "tags": {"type": "array", "items": {"type": "string"}}, "positive": {"type": "boolean"}},
             "required": ["title", "word_count", "tags", "positive"]}
            """);

        var response = await chat.GetResponseAsync("summarize this text", new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "Summary") });

        RequestAssert.Matches(Fixtures.Get("135"), server.Last);
        using var doc = JsonDocument.Parse(response.Text);
        Assert.Equal(3, doc.RootElement.GetProperty("word_count").GetInt32());
    }

    [Fact]
    public async Task Image_data_content_is_sent_as_the_run_images()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("153");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();
        byte[] png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR42mP4z8AARAwQCgAf7gP9Y167WwAAAABJRU5ErkJggg==");

        var response = await chat.GetResponseAsync(new ChatMessage(ChatRole.User, [new TextContent("describe the base64 image"), new DataContent(png, "image/png")]));

        RequestAssert.Matches(Fixtures.Get("153"), server.Last);
        Assert.Equal("Echo: describe the base64 image [images=1] (turn 1)", response.Text);
    }

    [Fact]
    public async Task Uri_content_and_documents_go_to_the_matching_media_fields()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("020");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        await chat.GetResponseAsync(new ChatMessage(ChatRole.User,
        [
            new TextContent("look"),
            new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg"),
            new DataContent("hello from a file"u8.ToArray(), "text/plain") { Name = "hello.txt" },
            new UriContent(new Uri("https://example.com/talk.mp3"), "audio/mpeg"),
        ]));

        var form = TestSupport.Form(server.Last);
        var image = JsonNode.Parse(form["images"]!)!.AsArray().Single()!;
        Assert.Equal("https://example.com/cat.jpg", (string)image["url"]!);
        var file = JsonNode.Parse(form["input_files"]!)!.AsArray().Single()!;
        Assert.Equal("hello.txt", (string)file["filename"]!);
        Assert.Equal("text/plain", (string)file["mime_type"]!);
        Assert.Equal("hello from a file", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String((string)file["content"]!)));
        Assert.Equal("https://example.com/talk.mp3", (string)JsonNode.Parse(form["audio"]!)!.AsArray().Single()!["url"]!);
    }

    [Fact]
    public async Task Tool_calls_that_ran_on_the_server_are_informational_calls_with_results()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("083");
        using var client = TestSupport.Client(server);
        var output = await client.GetRemoteAgent("tool-agent").ContinueAsync("fc877b43-0ed4-4522-b0b4-79abad79e9c9", new ContinueRunRequest("fixture-hitl-session"));
        var response = ChatResponseOf(output);

        var call = Assert.Single(response.Messages[0].Contents.OfType<FunctionCallContent>());
        Assert.True(call.InformationalOnly);
        Assert.Equal("delete_record", call.Name);
        Assert.Equal("rec-42", ((JsonElement)call.Arguments!["record_id"]!).GetString());
        var result = Assert.Single(response.Messages[0].Contents.OfType<FunctionResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        Assert.Equal("Record rec-42 deleted", result.Result);
        Assert.Equal("Tool result: Record rec-42 deleted", response.Text);
    }

    [Fact]
    public async Task Streamed_tool_calls_are_informational_and_carry_their_results()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("081");
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("tool-agent").AsIChatClient();
        string message = TestSupport.Form("081")["message"]!;

        var updates = await chat.GetStreamingResponseAsync(message).ToListAsync();

        RequestAssert.Matches(Fixtures.Get("081"), server.Last);
        var call = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>());
        Assert.True(call.InformationalOnly);
        Assert.Equal("add", call.Name);
        var result = Assert.Single(updates.SelectMany(u => u.Contents).OfType<FunctionResultContent>());
        Assert.Equal(call.CallId, result.CallId);
        Assert.NotNull(result.Result);
    }

    [Fact]
    public async Task Exceptions_of_the_core_pass_through_unchanged()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("101", "121");
        using var client = TestSupport.Client(server);
        using var missing = client.GetRemoteAgent("no-such-agent").AsIChatClient();
        using var failing = client.GetRemoteAgent("fail-agent").AsIChatClient();

        var notFound = await Assert.ThrowsAsync<AgentOSNotFoundException>(() => missing.GetResponseAsync("hi"));
        Assert.Equal("Agent not found", notFound.Detail);

        var seen = new List<ChatResponseUpdate>();
        var failed = await Assert.ThrowsAsync<AgentOSRunFailedException>(async () =>
        {
            await foreach (var u in failing.GetStreamingResponseAsync("hello streaming failure", new ChatOptions { ConversationId = "fixture-fail-session" }))
            {
                seen.Add(u);
            }
        });
        RequestAssert.Matches(Fixtures.Get("121"), server.Last);
        Assert.Equal("model_provider_error", failed.ErrorType);
        Assert.NotEmpty(seen.Text());
    }

    [Fact]
    public async Task Bad_arguments_throw_at_the_call_not_at_the_first_update()
    {
        await using var server = await ReplayServer.StartAsync();
        using var client = TestSupport.Client(server);
        using var chat = client.GetRemoteAgent("echo-agent").AsIChatClient();

        Assert.Throws<ArgumentNullException>(() => chat.GetStreamingResponseAsync((IEnumerable<ChatMessage>)null!));
        Assert.Throws<ArgumentException>(() => chat.GetStreamingResponseAsync([new ChatMessage(ChatRole.Assistant, "only me")], new ChatOptions { ConversationId = "s" }));
        Assert.Throws<ArgumentException>(() => chat.GetStreamingResponseAsync("x", new ChatOptions { AdditionalProperties = new() { [AgnoPropertyNames.SessionState] = "[1, 2]" } }));
        Assert.Throws<ArgumentException>(() => chat.GetStreamingResponseAsync("x", new ChatOptions { ContinuationToken = ResponseContinuationToken.FromBytes("nope"u8.ToArray()) }));
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Get_service_returns_metadata_the_handle_and_the_client()
    {
        await using var server = await ReplayServer.StartAsync();
        server.Serve("006");
        using var client = TestSupport.Client(server);
        var agent = client.GetRemoteAgent("echo-agent");
        using var chat = agent.AsIChatClient();

        var before = chat.GetService<ChatClientMetadata>()!;
        await agent.GetDetailsAsync();
        var metadata = chat.GetService<ChatClientMetadata>()!;

        Assert.Equal("agno", metadata.ProviderName);
        Assert.Equal(server.BaseAddress, metadata.ProviderUri);
        Assert.Null(before.DefaultModelId);
        Assert.Equal("echo-model", metadata.DefaultModelId);
        Assert.Same(agent, chat.GetService<RemoteAgent>());
        Assert.Same(client, chat.GetService<AgentOSClient>());
        Assert.Same(chat, chat.GetService<IChatClient>());
        Assert.Null(chat.GetService<RemoteTeam>());
        Assert.Null(chat.GetService<RemoteAgent>("some-key"));
    }

    private static ChatResponse ChatResponseOf(AgentRunOutput output)
        => Agno.Extensions.AI.Internal.ResponseMapper.ToChatResponse(output, AgentOSComponentKind.Agent, out _);
}
