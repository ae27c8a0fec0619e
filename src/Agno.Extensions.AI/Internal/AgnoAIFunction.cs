using System.Text.Json;
using System.Text.Json.Nodes;
using Agno.AgentOS;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// A remote agent, team or workflow as a tool: <c>input</c> (required) is the message, <c>session_id</c> (optional,
/// offered only with <see cref="AgnoAIFunctionOptions.IncludeSessionId"/>) continues a conversation; the invocation
/// runs the component (not streaming) and returns its answer. The Semantic Kernel adapter runs its kernel functions
/// through <see cref="RunAsync"/>, so arguments, the run and a pause are handled here only.
/// </summary>
internal sealed class AgnoAIFunction : AIFunction
{
    private const string InputParameter = "input";
    private const string SessionIdParameter = "session_id";

    private readonly AgnoAIFunctionOptions _options;
    private readonly bool _structuredInput;
    private readonly ILogger _logger;

    public AgnoAIFunction(RemoteComponent runner, string? name, string? description, string? displayName, JsonElement? inputSchema, AgnoAIFunctionOptions? options)
    {
        Runner = runner;
        _options = options?.Clone() ?? new AgnoAIFunctionOptions();
        _logger = (ILogger?)_options.LoggerFactory?.CreateLogger("Agno.Extensions.AI.AgnoAIFunction") ?? NullLogger.Instance;
        Name = ToolNames.Sanitize(name ?? runner.Id);
        Description = description is { Length: > 0 }
            ? description
            : $"Runs the remote Agno {runner.KindName} '{displayName ?? runner.Id}' with a message and returns its answer.";
        _structuredInput = inputSchema is { ValueKind: JsonValueKind.Object };
        JsonSchema = BuildSchema(runner.KindName, _structuredInput ? inputSchema : null, _options.IncludeSessionId);
    }

    /// <summary>The remote component.</summary>
    public RemoteComponent Runner { get; }

    public override string Name { get; }

    public override string Description { get; }

    public override JsonElement JsonSchema { get; }

    public override JsonSerializerOptions JsonSerializerOptions => AIJsonUtilities.DefaultOptions;

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType.IsInstanceOfType(Runner))
        {
            return Runner;
        }

        if (serviceKey is null && serviceType.IsInstanceOfType(Runner.Client))
        {
            return Runner.Client;
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <summary>
    /// Runs the component with the arguments (<c>input</c>; <c>session_id</c> when the tool takes one) and returns its
    /// output; a paused run throws <see cref="AgnoRunPausedException"/>.
    /// </summary>
    public async Task<RunOutput> RunAsync(IEnumerable<KeyValuePair<string, object?>> arguments, string functionName, CancellationToken cancellationToken)
    {
        object? inputValue = null;
        object? sessionValue = null;
        foreach (var (key, value) in arguments)
        {
            if (key == InputParameter)
            {
                inputValue = value;
            }
            else if (key == SessionIdParameter)
            {
                sessionValue = value;
            }
        }

        string input = ReadInput(inputValue)
            ?? throw new ArgumentException($"The '{functionName}' tool needs its '{InputParameter}' argument.", nameof(arguments));
        string? sessionId = ReadText(sessionValue);
        if (!_options.IncludeSessionId && !string.IsNullOrWhiteSpace(sessionId))
        {
            Log.SessionIdIgnored(_logger, functionName);
            sessionId = null;
        }

        var request = new RunRequest(input)
        {
            SessionId = string.IsNullOrWhiteSpace(sessionId) ? null : sessionId,
            UserId = _options.UserId,
        };

        var output = await Runner.RunAsync(request, _options.RequestOptions, cancellationToken).ConfigureAwait(false);
        return output.Status.IsPaused ? throw RunPauses.Exception(Runner, output) : output;
    }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var output = await RunAsync(arguments, Name, cancellationToken).ConfigureAwait(false);
        string content = output.Content ?? string.Empty;
        if (!_options.IncludeSessionId)
        {
            return content;
        }

        var result = new JsonObject { ["content"] = content, [SessionIdParameter] = output.SessionId };
        return JsonValues.ToElement(result);
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
            JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
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

    private static JsonElement BuildSchema(string kind, JsonElement? inputSchema, bool includeSessionId)
    {
        JsonNode input = inputSchema is { } schema
            ? JsonNode.Parse(schema.GetRawText())!
            : new JsonObject { ["type"] = "string" };
        if (input is JsonObject o && !o.ContainsKey("description"))
        {
            o["description"] = $"The message (task or question) for the {kind}.";
        }

        var properties = new JsonObject { [InputParameter] = input };
        if (includeSessionId)
        {
            properties[SessionIdParameter] = new JsonObject
            {
                ["type"] = "string",
                ["description"] = $"Optional: the session id of an earlier call, to continue that conversation with the {kind}. Omit to start a new one.",
            };
        }

        var root = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = new JsonArray(InputParameter),
        };
        return JsonValues.ToElement(root);
    }
}
