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
/// Kernel functions over the <see cref="AIFunction"/> tools of <c>Agno.Extensions.AI</c>: the tool gives the
/// name, the description and the parameters (<c>input</c>, required, and <c>session_id</c>), and the remote
/// handle; the function runs the component through that handle so that its result carries the run id, the
/// session id and the usage in <see cref="FunctionResult.Metadata"/> (the tool returns the answer text only).
/// </summary>
internal static partial class AgentOSKernelFunctionFactory
{
    public static KernelFunction Create(AIFunction tool, string functionName, string? userId, AgentOSRequestOptions? requestOptions)
    {
        var target = RemoteTarget.ForHandle(tool.GetService(typeof(RemoteAgent)) ?? tool.GetService(typeof(RemoteTeam)) ?? tool.GetService(typeof(RemoteWorkflow)))
            ?? throw new ArgumentException($"The tool '{tool.Name}' is not an AgentOS tool of Agno.Extensions.AI.", nameof(tool));
        var (parameters, structuredInput) = ParametersOf(tool);
        Func<Kernel, KernelFunction, KernelArguments, CancellationToken, Task<FunctionResult>> invoke =
            (kernel, function, arguments, cancellationToken) => InvokeAsync(kernel, function, arguments, target, structuredInput, userId, requestOptions, cancellationToken);
        return KernelFunctionFactory.CreateFromMethod(
            invoke,
            functionName,
            tool.Description,
            parameters,
            new KernelReturnParameterMetadata { Description = $"The {target.KindName}'s answer.", ParameterType = typeof(string) });
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

    private static async Task<FunctionResult> InvokeAsync(
        Kernel kernel,
        KernelFunction function,
        KernelArguments arguments,
        RemoteTarget target,
        bool structuredInput,
        string? userId,
        AgentOSRequestOptions? requestOptions,
        CancellationToken cancellationToken)
    {
        string input = (arguments.TryGetValue("input", out var value) ? InputText(value, structuredInput) : null)
            ?? throw new ArgumentException($"The function '{function.Name}' needs its 'input' argument.", nameof(arguments));
        string? sessionId = arguments.TryGetValue("session_id", out var s) ? Text(s) : null;
        var request = new RunRequest(input)
        {
            SessionId = string.IsNullOrWhiteSpace(sessionId) ? null : sessionId,
            UserId = userId,
        };

        var output = await target.RunAsync(request, requestOptions, cancellationToken).ConfigureAwait(false);
        if (output.Status.IsPaused)
        {
            throw new AgnoRunPausedException(
                $"The remote Agno {target.KindName} '{target.Id}' paused its run and waits for a human; nothing was approved. " +
                $"Continue run '{output.RunId}' of session '{output.SessionId}' with the AgentOS client, or use the {target.KindName}'s chat client (AsIChatClient).")
            {
                RunId = output.RunId,
                SessionId = output.SessionId,
                Output = output,
            };
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

    private static (List<KernelParameterMetadata> Parameters, bool StructuredInput) ParametersOf(AIFunction tool)
    {
        var parameters = new List<KernelParameterMetadata>();
        bool structured = false;
        var schema = tool.JsonSchema;
        var required = schema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (property.Name == "input")
                {
                    structured = !(property.Value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "string");
                }

                parameters.Add(new KernelParameterMetadata(property.Name)
                {
                    Description = property.Value.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null,
                    IsRequired = required.Contains(property.Name),
                    ParameterType = property.Name == "input" && structured ? null : typeof(string),
                    Schema = KernelJsonSchema.Parse(property.Value.GetRawText()),
                });
            }
        }

        return (parameters, structured);
    }

    private static string? InputText(object? value, bool structured) => value switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } e when !structured => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText(),
        JsonNode node => node is JsonValue v && v.TryGetValue<string>(out var t) ? t : node.ToJsonString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => RunRequestBuilder.ToNode(value)?.ToJsonString(),
    };

    private static string? Text(object? value) => value switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
        JsonElement e => e.GetRawText(),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChars();
}
