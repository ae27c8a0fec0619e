using System.Text.Json.Nodes;
using Agno.SemanticKernel.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Agents;
using Microsoft.SemanticKernel.ChatCompletion;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

/// <summary>What an invocation sends: messages of every role and content type, instructions, kernel arguments.</summary>
public sealed class InputTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3];

    private static async Task<(FakeAgentOS Os, Agent Agent)> StartAsync(AgentOSAgentOptions? options = null, KernelArguments? agentArguments = null)
    {
        var os = await FakeAgentOS.StartAsync();
        os.AddAgent("echo", "Echo", "Echoes.", t => "ok");
        options ??= new AgentOSAgentOptions();
        options.Arguments = agentArguments;
        return (os, os.Client.GetRemoteAgent("echo").AsSemanticKernelAgent(options));
    }

    [Fact]
    public async Task Every_role_and_content_type_is_accepted_and_sent_as_text_or_media()
    {
        var (os, agent) = await StartAsync();
        await using var _ = os;
        var call = new FunctionCallContent("lookup", "tools", "c1", new KernelArguments { ["q"] = "x" });
        ChatMessageContent[] messages =
        [
            new(AuthorRole.System, "Be brief."),
            new(AuthorRole.User, [new TextContent("Look at this"), new ImageContent(Png, "image/png"), new ImageContent(new Uri("https://example.com/cat.jpg"))]),
            new(AuthorRole.Assistant, [call]) { AuthorName = "Helper" },
            new(AuthorRole.Tool, [new FunctionResultContent(call, "42")]),
            new(AuthorRole.Assistant, [new ReasoningContent("thinking..."), new TextContent("It is 42.")]) { AuthorName = "Helper" },
            new(AuthorRole.User, [new AudioContent(new byte[] { 1, 2 }, "audio/wav"), new BinaryContent(new byte[] { 3, 4 }, "application/pdf"), new FileReferenceContent("file-9")]),
            new(AuthorRole.Developer, "Use metric units."),
            new(new AuthorRole("critic"), "Too long.") { AuthorName = "Critic" },
            new(AuthorRole.Assistant, [new AnnotationContent(AnnotationKind.UrlCitation, "note", "https://example.com")]),
        ];

        var answer = Assert.Single(await agent.InvokeAsync(messages).ToListAsync());

        Assert.Equal("ok", answer.Message.Content);
        var form = Assert.Single(os.Runs).Form;
        Assert.Equal(
            "system: Be brief.\n\nuser: Look at this\n\nHelper: It is 42.\n\nuser: [file file-9]\n\ndeveloper: Use metric units.\n\nCritic: Too long.",
            form["message"]);
        var images = JsonNode.Parse(form["images"])!.AsArray();
        Assert.Equal(2, images.Count);
        Assert.Equal((Convert.ToBase64String(Png), "image/png"), ((string)images[0]!["content"]!, (string)images[0]!["mime_type"]!));
        Assert.Equal("https://example.com/cat.jpg", (string)images[1]!["url"]!);
        Assert.Equal("audio/wav", (string)JsonNode.Parse(form["audio"])!.AsArray().Single()!["mime_type"]!);
        Assert.Equal("application/pdf", (string)JsonNode.Parse(form["input_files"])!.AsArray().Single()!["mime_type"]!);
    }

    [Fact]
    public async Task An_invocation_without_text_sends_the_empty_input_message()
    {
        var (os, agent) = await StartAsync(new AgentOSAgentOptions { EmptyInputMessage = "Go on." });
        await using var _ = os;

        await agent.InvokeAsync().ToListAsync();
        await agent.InvokeAsync(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("f")])).ToListAsync();

        Assert.Equal(["Go on.", "Go on."], os.Runs.Select(r => r.Message));
    }

    [Fact]
    public async Task Additional_instructions_and_system_messages_lead_the_message_as_in_the_chat_client()
    {
        var (os, agent) = await StartAsync();
        await using var _ = os;
        ChatMessageContent[] messages = [new(AuthorRole.User, "Bonjour"), new(AuthorRole.System, "Be formal.")];

        await agent.InvokeAsync(messages, options: new AgentInvokeOptions { AdditionalInstructions = "Answer in French." }).ToListAsync();

        // The same text Agno.Extensions.AI's chat client sends for Instructions + these messages in a session.
        Assert.Equal("system: Answer in French.\n\nsystem: Be formal.\n\nBonjour", Assert.Single(os.Runs).Message);
    }

    [Fact]
    public async Task Kernel_arguments_set_run_fields_and_other_arguments_stay_local_by_default()
    {
        var (os, agent) = await StartAsync(agentArguments: new KernelArguments { ["tone"] = "dry", ["user_id"] = "agent-default" });
        await using var _ = os;
        var options = new AgentInvokeOptions
        {
            KernelArguments = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() })
            {
                ["user_id"] = "u-7",
                ["session_state"] = new Dictionary<string, object?> { ["step"] = 2 },
                ["metadata"] = "{\"source\":\"sk\"}",
                ["dependencies"] = new Dictionary<string, object?> { ["city"] = "Paris" },
                ["add_history_to_context"] = false,
                ["api_key"] = "sk-secret",
                ["kernel"] = new Kernel(),
                ["callback"] = new Func<int>(() => 1),
            },
        };

        var answer = Assert.Single(await agent.InvokeAsync("Bonjour", options: options).ToListAsync());

        Assert.Equal("ok", answer.Message.Content);
        var form = Assert.Single(os.Runs).Form;
        Assert.Equal("u-7", form["user_id"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"step\":2}"), JsonNode.Parse(form["session_state"])));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"source\":\"sk\"}"), JsonNode.Parse(form["metadata"])));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"city\":\"Paris\"}"), JsonNode.Parse(form["dependencies"])));
        Assert.Equal("false", form["add_history_to_context"]);
        Assert.DoesNotContain(form.Values, v => v.Contains("sk-secret", StringComparison.Ordinal) || v.Contains("dry", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forwarded_arguments_send_their_json_values_and_leave_out_what_is_not_json()
    {
        var logs = new TestLoggerFactory();
        var (os, agent) = await StartAsync(
            new AgentOSAgentOptions { ForwardArgumentsAsDependencies = true, LoggerFactory = logs },
            new KernelArguments { ["tone"] = "dry" });
        await using var _ = os;
        var cyclic = new Node();
        cyclic.Next = cyclic;
        var options = new AgentInvokeOptions
        {
            KernelArguments = new KernelArguments
            {
                ["city"] = "Paris",
                ["count"] = 3,
                ["ratio"] = 0.5m,
                ["strict"] = true,
                ["json"] = JsonNode.Parse("{\"a\":[1,2]}"),
                ["point"] = new Point(1, 2),
                ["dependencies"] = new Dictionary<string, object?> { ["explicit"] = "yes" },
                ["kernel"] = new Kernel(),
                ["callback"] = new Func<int>(() => 1),
                ["cyclic"] = cyclic,
                ["ignored"] = null,
            },
        };

        var answer = Assert.Single(await agent.InvokeAsync("Bonjour", options: options).ToListAsync());

        Assert.Equal("ok", answer.Message.Content);
        var dependencies = JsonNode.Parse(Assert.Single(os.Runs).Form["dependencies"]);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse("{\"tone\":\"dry\",\"city\":\"Paris\",\"count\":3,\"ratio\":0.5,\"strict\":true,\"json\":{\"a\":[1,2]},\"point\":{\"x\":1,\"y\":2},\"explicit\":\"yes\"}"), dependencies),
            dependencies!.ToJsonString());
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, m => m.Contains("'kernel'", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("'callback'", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains("'cyclic'", StringComparison.Ordinal));
    }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    private sealed record Point(int X, int Y);

    [Fact]
    public async Task A_thread_user_and_a_custom_formatter_and_request_hook_shape_the_request()
    {
        var (os, agent) = await StartAsync(new AgentOSAgentOptions
        {
            MessageFormatter = messages => string.Join(" | ", messages.Select(m => $"{m.Role.Label}={m.Content}")),
            ConfigureRequest = (request, invokeOptions) => request.AdditionalFields["debug_mode"] = invokeOptions is null ? "no-options" : "options",
        });
        await using var _ = os;
        var thread = new AgentOSAgentThread(os.Client) { UserId = "alice" };

        await agent.InvokeAsync([new ChatMessageContent(AuthorRole.User, "a"), new ChatMessageContent(AuthorRole.Assistant, "b")], thread).ToListAsync();

        var form = Assert.Single(os.Runs).Form;
        Assert.Equal("user=a | assistant=b", form["message"]);
        Assert.Equal("alice", form["user_id"]);
        Assert.Equal("no-options", form["debug_mode"]);
    }
}
