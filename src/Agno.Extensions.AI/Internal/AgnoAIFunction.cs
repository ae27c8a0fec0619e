using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// A remote agent, team or workflow as a tool: <c>input</c> (required) is the message, <c>session_id</c> (optional)
/// continues a conversation; the invocation runs the component (not streaming) and returns its answer.
/// </summary>
internal sealed class AgnoAIFunction : AIFunction
{
    private readonly ComponentRunner _runner;
    private readonly AgnoAIFunctionOptions _options;
    private readonly bool _structuredInput;

    public AgnoAIFunction(ComponentRunner runner, string? name, string? description, string? displayName, JsonElement? inputSchema, AgnoAIFunctionOptions? options)
    {
        _runner = runner;
        _options = options?.Clone() ?? new AgnoAIFunctionOptions();
        Name = ToolNames.Sanitize(name ?? runner.Id);
        Description = description is { Length: > 0 }
            ? description
            : $"Runs the remote Agno {runner.KindName} '{displayName ?? runner.Id}' with a message and returns its answer.";
        _structuredInput = inputSchema is { ValueKind: JsonValueKind.Object };
        JsonSchema = BuildSchema(runner.KindName, _structuredInput ? inputSchema : null);
    }

    public override string Name { get; }

    public override string Description { get; }

    public override JsonElement JsonSchema { get; }

    public override JsonSerializerOptions JsonSerializerOptions => AIJsonUtilities.DefaultOptions;

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType.IsInstanceOfType(_runner.Handle))
        {
            return _runner.Handle;
        }

        if (serviceKey is null && serviceType.IsInstanceOfType(_runner.Client))
        {
            return _runner.Client;
        }

        return base.GetService(serviceType, serviceKey);
    }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string input = ReadInput(arguments.TryGetValue("input", out var value) ? value : null)
            ?? throw new ArgumentException($"The '{Name}' tool needs its 'input' argument.", nameof(arguments));
        string? sessionId = arguments.TryGetValue("session_id", out var s) ? ReadText(s) : null;
        var request = new RunRequest(input)
        {
            SessionId = string.IsNullOrWhiteSpace(sessionId) ? null : sessionId,
            UserId = _options.UserId,
        };

        var output = await _runner.RunAsync(request, _options.RequestOptions, cancellationToken).ConfigureAwait(false);
        if (output.Status.IsPaused)
        {
            throw Paused(output);
        }

        string content = output.Content ?? string.Empty;
        if (!_options.IncludeSessionId)
        {
            return content;
        }

        var result = new JsonObject { ["content"] = content, ["session_id"] = output.SessionId };
        return JsonValues.ToElement(result);
    }

    private AgnoRunPausedException Paused(RunOutput output)
    {
        var requests = new List<AIContent>();
        if (PausedRun.From(_runner.Kind, output) is { } paused)
        {
            HumanInTheLoop.AddRequests(requests, paused);
        }

        var sb = new StringBuilder()
            .Append("The remote Agno ").Append(_runner.KindName).Append(" '").Append(_runner.Id)
            .Append("' paused its run and waits for a human: ");
        if (requests.Count == 0)
        {
            sb.Append("an action this client cannot express");
        }

        for (int i = 0; i < requests.Count; i++)
        {
            sb.Append(i == 0 ? string.Empty : "; ").Append(requests[i] switch
            {
                ToolApprovalRequestContent { ToolCall: FunctionCallContent call } => $"approval of '{call.Name}'",
                AgnoInputRequestContent { ToolCall: { } call } => $"user input for '{call.Name}'",
                AgnoInputRequestContent input => input.Message ?? "user input",
                FunctionCallContent call => $"the result of '{call.Name}', which the caller runs",
                _ => "an answer",
            });
        }

        sb.Append(". Nothing was approved. Answer the requests through the ").Append(_runner.KindName)
            .Append("'s chat client (AsIChatClient) with ConversationId '").Append(output.SessionId)
            .Append("', or continue run '").Append(output.RunId).Append("'.");
        return new AgnoRunPausedException(sb.ToString())
        {
            RunId = output.RunId,
            SessionId = output.SessionId,
            Output = output,
            Requests = requests,
        };
    }

    private string? ReadInput(object? value)
    {
        if (!_structuredInput)
        {
            return ReadText(value);
        }

        return value switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement e => e.GetRawText(),
            JsonNode n => n.ToJsonString(),
            _ => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
        };
    }

    private static string? ReadText(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.GetRawText(),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonNode n => n.ToJsonString(),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static JsonElement BuildSchema(string kind, JsonElement? inputSchema)
    {
        JsonNode input = inputSchema is { } schema
            ? JsonNode.Parse(schema.GetRawText())!
            : new JsonObject { ["type"] = "string" };
        if (input is JsonObject o && !o.ContainsKey("description"))
        {
            o["description"] = $"The message (task or question) for the {kind}.";
        }

        var root = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["input"] = input,
                ["session_id"] = new JsonObject
                {
                    ["type"] = "string",
                    ["description"] = $"Optional: the session id of an earlier call, to continue that conversation with the {kind}. Omit to start a new one.",
                },
            },
            ["required"] = new JsonArray("input"),
        };
        return JsonValues.ToElement(root);
    }
}
