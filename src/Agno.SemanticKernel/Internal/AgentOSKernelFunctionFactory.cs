using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Agno.AgentOS;
using Agno.Extensions.AI;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agno.SemanticKernel.Internal;

/// <summary>
/// Kernel functions over the <see cref="AIFunction"/> tools of <c>Agno.Extensions.AI</c>: the tool gives the name, the
/// description and the parameters (<c>input</c>, required, and <c>session_id</c> when the tool takes one) and its
/// remote component (<see cref="RemoteComponent"/>, from its <c>GetService</c>); the function runs the
/// component through that public view and returns the answer text with the run id, the session id and the usage in
/// <see cref="FunctionResult.Metadata"/>. A paused run throws <see cref="AgnoRunPausedException"/>.
/// </summary>
internal static partial class AgentOSKernelFunctionFactory
{
    private const string InputParameter = "input";
    private const string SessionIdParameter = "session_id";

    public static KernelFunction Create(AIFunction tool, string functionName, string? userId, AgentOSRequestOptions? requestOptions)
    {
        var component = tool.GetService(typeof(RemoteComponent)) as RemoteComponent
            ?? throw new ArgumentException($"The tool '{tool.Name}' is not an AgentOS tool of Agno.Extensions.AI.", nameof(tool));
        var parameters = ParametersOf(tool);
        var target = new Target(
            component,
            userId,
            requestOptions,
            StructuredInput: parameters.Find(p => p.Name == InputParameter)?.ParameterType != typeof(string),
            TakesSessionId: parameters.Exists(p => p.Name == SessionIdParameter));
        Func<Kernel, KernelFunction, KernelArguments, CancellationToken, Task<FunctionResult>> invoke =
            (kernel, function, arguments, cancellationToken) => InvokeAsync(kernel, function, arguments, target, cancellationToken);
        return KernelFunctionFactory.CreateFromMethod(
            invoke,
            functionName,
            tool.Description,
            parameters,
            new KernelReturnParameterMetadata { Description = $"The {KindName(component.Kind)}'s answer.", ParameterType = typeof(string) });
    }

    /// <summary>A name valid for SK functions (letters, digits, <c>_</c>), unique among <paramref name="used"/>.</summary>
    public static string FunctionName(string toolName, HashSet<string> used)
    {
        string name = InvalidChars().Replace(toolName, "_");
        string unique = name;
        for (int i = 2; !used.Add(unique); i++)
        {
            unique = $"{name}_{i.ToString(CultureInfo.InvariantCulture)}";
        }

        return unique;
    }

    private static async Task<FunctionResult> InvokeAsync(Kernel kernel, KernelFunction function, KernelArguments arguments, Target target, CancellationToken cancellationToken)
    {
        arguments.TryGetValue(InputParameter, out object? inputValue);
        string input = (target.StructuredInput ? ReadJsonInput(inputValue) : ReadText(inputValue))
            ?? throw new ArgumentException($"The '{function.Name}' function needs its '{InputParameter}' argument.", nameof(arguments));
        string? sessionId = target.TakesSessionId && arguments.TryGetValue(SessionIdParameter, out object? sessionValue) ? ReadText(sessionValue) : null;
        var request = new RunRequest(input)
        {
            SessionId = string.IsNullOrWhiteSpace(sessionId) ? null : sessionId,
            UserId = target.UserId,
        };

        var output = await target.Component.RunAsync(request, target.RequestOptions, cancellationToken).ConfigureAwait(false);
        if (output.Status.IsPaused)
        {
            throw AgnoRunPausedException.FromPausedRun(target.Component, output);
        }

        var metadata = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [AgentOSMetadataKeys.RunId] = output.RunId,
            [AgentOSMetadataKeys.SessionId] = output.SessionId,
            [AgentOSMetadataKeys.Status] = output.Status.Value,
            [AgentOSMetadataKeys.ContentType] = output.ContentType,
        };
        if (output.Metrics is { } metrics)
        {
            metadata[AgentOSMetadataKeys.Usage] = metrics;
        }

        if (output.Tools is { Count: > 0 } tools)
        {
            metadata[AgentOSMetadataKeys.ToolCalls] = tools;
        }

        return new FunctionResult(function, output.Content ?? string.Empty, kernel.Culture, metadata);
    }

    private static List<KernelParameterMetadata> ParametersOf(AIFunction tool)
    {
        var parameters = new List<KernelParameterMetadata>();
        var schema = tool.JsonSchema;
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                bool isString = property.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "string";
                parameters.Add(new KernelParameterMetadata(property.Name)
                {
                    Description = property.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                    IsRequired = required.Contains(property.Name),
                    ParameterType = isString ? typeof(string) : null,
                    Schema = KernelJsonSchema.Parse(property.Value.GetRawText()),
                });
            }
        }

        return parameters;
    }

    private static string KindName(AgentOSComponentKind kind) => kind switch
    {
        AgentOSComponentKind.Agent => "agent",
        AgentOSComponentKind.Team => "team",
        _ => "workflow",
    };

    /// <summary>The input of a component with an input schema: a JSON text (an object argument is serialized).</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Kernel arguments are arbitrary objects; this package is not trimmable (SK is not).")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("AOT", "IL3050", Justification = "As above.")]
    private static string? ReadJsonInput(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.GetRawText(),
        JsonNode n => n.ToJsonString(),
        _ => JsonSerializer.Serialize(value, value.GetType(), AIJsonUtilities.DefaultOptions),
    };

    private static string? ReadText(object? value) => value switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.GetRawText(),
        JsonValue v when v.TryGetValue<string>(out var text) => text,
        JsonNode n => n.ToJsonString(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private sealed record Target(RemoteComponent Component, string? UserId, AgentOSRequestOptions? RequestOptions, bool StructuredInput, bool TakesSessionId);

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChars();
}
