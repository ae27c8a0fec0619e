using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.Extensions.AI;
using Xunit;

namespace Agno.Extensions.AI.Tests;

/// <summary>The public mapping layer (<see cref="AgnoContentMapper"/>) that the IChatClient and Agent Framework adapters share.</summary>
public sealed class ContentMapperTests
{
    private static AgentRunOutput Paused() => new()
    {
        RunId = "run-1",
        SessionId = "session:1",
        Status = RunStatus.Paused,
        Tools =
        [
            new ToolExecution { ToolCallId = "call-1", ToolName = "delete_record", ToolArgs = new JsonObject { ["record_id"] = "rec-1" }, RequiresConfirmation = true },
            new ToolExecution { ToolCallId = "call-2", ToolName = "lookup", ToolArgs = new JsonObject { ["key"] = "k" }, ExternalExecutionRequired = true },
        ],
    };

    [Fact]
    public void A_paused_run_becomes_an_approval_and_a_call_for_the_caller_whose_ids_name_the_run_and_the_session()
    {
        var requests = AgnoContentMapper.CreateRequests(AgentOSComponentKind.Agent, Paused());

        Assert.Equal(2, requests.Count);
        var approval = Assert.IsType<ToolApprovalRequestContent>(requests[0]);
        Assert.Equal("agno:run-1:session%3A1:call-1", approval.RequestId);
        Assert.True(((FunctionCallContent)approval.ToolCall).InformationalOnly);
        var external = Assert.IsType<FunctionCallContent>(requests[1]);
        Assert.Equal("agno:run-1:session%3A1:call-2", external.CallId);
        Assert.False(external.InformationalOnly);
        Assert.Empty(AgnoContentMapper.CreateRequests(AgentOSComponentKind.Agent, new AgentRunOutput { RunId = "r", SessionId = "s", Status = RunStatus.Completed, Tools = Paused().Tools }));
    }

    [Fact]
    public void Answers_found_in_messages_continue_a_copy_of_the_paused_run()
    {
        var paused = Paused();
        var requests = AgnoContentMapper.CreateRequests(AgentOSComponentKind.Agent, paused);
        var approval = (ToolApprovalRequestContent)requests[0];
        var external = (FunctionCallContent)requests[1];
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, "unrelated"),
            new(ChatRole.User, [approval.CreateResponse(false, "no")]),
            new(ChatRole.Tool, [new FunctionResultContent(external.CallId, "v")]),
        };

        var answers = AgnoContentMapper.FindAnswers(messages);
        var request = answers!.CreateContinueRequest(AgentOSComponentKind.Agent, paused, userId: "u");

        Assert.Equal(("run-1", "session:1"), (answers.RunId, answers.SessionId));
        Assert.Equal(2, answers.Contents.Count);
        Assert.Equal(("session:1", "u"), (request.SessionId, request.UserId));
        Assert.Equal((false, "no"), (request.Tools[0].Confirmed, request.Tools[0].ConfirmationNote));
        Assert.Equal("v", request.Tools[1].Result);
        Assert.Null(paused.Tools![0].Confirmed);
        Assert.Null(AgnoContentMapper.FindAnswers([new ChatMessage(ChatRole.User, "hello")]));
    }

    [Fact]
    public void Answers_to_two_runs_or_to_nothing_the_run_waits_for_are_caller_errors()
    {
        var one = (ToolApprovalRequestContent)AgnoContentMapper.CreateRequests(AgentOSComponentKind.Agent, Paused())[0];
        var other = Paused();
        other.RunId = "run-2";
        var two = (ToolApprovalRequestContent)AgnoContentMapper.CreateRequests(AgentOSComponentKind.Agent, other)[0];

        Assert.Throws<ArgumentException>(() => AgnoContentMapper.FindAnswers([new ChatMessage(ChatRole.User, [one.CreateResponse(true), two.CreateResponse(true)])]));
        var answers = AgnoContentMapper.FindAnswers([new ChatMessage(ChatRole.User, [one.CreateResponse(true)])])!;
        var answered = Paused();
        answered.Tools!.RemoveAt(0);
        Assert.Throws<ArgumentException>(() => answers.CreateContinueRequest(AgentOSComponentKind.Agent, answered));
    }

    [Fact]
    public void A_server_tool_call_is_informational_and_unreadable_arguments_are_reported_not_thrown()
    {
        var tool = new ToolExecution { ToolCallId = "c", ToolName = "t", ToolArgs = new JsonObject { ["a"] = 1 } };
        var call = AgnoContentMapper.ToServerFunctionCall(tool);
        // A lone surrogate as the server may send it (escaped in the JSON text).
        var broken = AgnoContentMapper.ToServerFunctionCall(new ToolExecution { ToolCallId = "d", ToolName = "t", ToolArgs = JsonNode.Parse("""{"s":"\ud800"}""")!.AsObject() }, "raw");

        Assert.True(call.InformationalOnly);
        Assert.Equal(("c", "t"), (call.CallId, call.Name));
        Assert.Equal("1", call.Arguments!["a"]!.ToString());
        Assert.Same(tool, call.RawRepresentation);
        Assert.True(broken.InformationalOnly);
        Assert.IsType<InvalidDataException>(broken.Exception);
        Assert.Equal("raw", broken.RawRepresentation);
    }

    [Fact]
    public void A_continuation_token_survives_its_bytes_and_a_foreign_one_is_a_caller_error()
    {
        var token = new AgnoContinuationToken(AgentOSComponentKind.Team, "research-team", "run-1", "session-1", 7);

        var back = AgnoContinuationToken.From(ResponseContinuationToken.FromBytes(token.ToBytes()));

        Assert.Equal((AgentOSComponentKind.Team, "research-team", "run-1", "session-1", (int?)7), (back.Kind, back.ComponentId, back.RunId, back.SessionId, back.LastEventIndex));
        Assert.Equal("""{"kind":"team","id":"research-team","run_id":"run-1","session_id":"session-1","last_event_index":7}""", System.Text.Encoding.UTF8.GetString(token.ToBytes().Span));
        Assert.Throws<ArgumentException>(() => AgnoContinuationToken.From(ResponseContinuationToken.FromBytes("""{"kind":1,"id":"x"}"""u8.ToArray())));
        Assert.Throws<ArgumentException>(() => AgnoContinuationToken.From(ResponseContinuationToken.FromBytes("""{"kind":"agent","id":"x"}"""u8.ToArray())));
        Assert.Throws<ArgumentException>(() => new AgnoContinuationToken(AgentOSComponentKind.Agent, "a", "", "s"));
    }
}
