using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Agno.Extensions.AI.Internal;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Agno.SemanticKernel.Internal;

/// <summary>
/// Kernel functions over the <see cref="AIFunction"/> tools of <c>Agno.Extensions.AI</c>: the tool gives the
/// name, the description and the parameters (<c>input</c>, required, and <c>session_id</c> when the tool takes one),
/// and runs the component (arguments, the run and a pause are handled by the tool); the function returns the answer
/// text with the run id, the session id and the usage in <see cref="FunctionResult.Metadata"/>.
/// </summary>
internal static partial class AgentOSKernelFunctionFactory
{
    public static KernelFunction Create(AIFunction tool, string functionName)
    {
        var agno = tool as AgnoAIFunction
            ?? throw new ArgumentException($"The tool '{tool.Name}' is not an AgentOS tool of Agno.Extensions.AI.", nameof(tool));
        Func<Kernel, KernelFunction, KernelArguments, CancellationToken, Task<FunctionResult>> invoke =
            (kernel, function, arguments, cancellationToken) => InvokeAsync(kernel, function, arguments, agno, cancellationToken);
        return KernelFunctionFactory.CreateFromMethod(
            invoke,
            functionName,
            tool.Description,
            ParametersOf(tool),
            new KernelReturnParameterMetadata { Description = $"The {agno.Runner.KindName}'s answer.", ParameterType = typeof(string) });
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

    private static async Task<FunctionResult> InvokeAsync(Kernel kernel, KernelFunction function, KernelArguments arguments, AgnoAIFunction tool, CancellationToken cancellationToken)
    {
        var output = await tool.RunAsync(arguments, function.Name, cancellationToken).ConfigureAwait(false);
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

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChars();
}
