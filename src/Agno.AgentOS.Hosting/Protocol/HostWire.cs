using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The core's public models (<see cref="ToolExecution"/>, <see cref="UserInputField"/>) as the host writes them:
/// with the core's source-generated metadata, every field written, null included (as agno writes its dataclasses).
/// </summary>
internal static class HostWire
{
    private static readonly JsonSerializerOptions CoreModels = new(AgentOSJsonUtilities.DefaultOptions)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonTypeInfo<ToolExecution> ToolInfo = CoreModels.GetTypeInfo<ToolExecution>();

    private static readonly JsonTypeInfo<RunRequirement> RequirementInfo = CoreModels.GetTypeInfo<RunRequirement>();

    /// <summary>Requirements as agno writes them: their unset fields left out, their tool written whole.</summary>
    private static readonly JsonTypeInfo<RunRequirement> RequirementWriteInfo = new JsonSerializerOptions(CoreModels)
    {
        TypeInfoResolver = CoreModels.TypeInfoResolver!.WithAddedModifier(OmitUnsetRequirementFields),
    }.GetTypeInfo<RunRequirement>();

    private static readonly JsonTypeInfo<List<UserInputField>> FieldsInfo = CoreModels.GetTypeInfo<List<UserInputField>>();

    /// <summary>A tool execution as agno writes it (all twenty fields).</summary>
    public static JsonObject ToNode(ToolExecution tool) => JsonSerializer.SerializeToNode(tool, ToolInfo)!.AsObject();

    /// <summary>A copy of the tool, changed by <paramref name="adjust"/>, as agno writes it (the tool itself is left as it is).</summary>
    public static JsonObject ToNode(ToolExecution tool, Action<ToolExecution> adjust)
    {
        var copy = JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(tool, ToolInfo), ToolInfo)!;
        adjust(copy);
        return ToNode(copy);
    }

    public static JsonArray ToNode(IEnumerable<ToolExecution> tools) => Wire.ToArray(tools.Select(ToNode));

    public static JsonArray ToNode(List<UserInputField> fields) => JsonSerializer.SerializeToNode(fields, FieldsInfo)!.AsArray();

    /// <summary>A tool execution read back from a stored run or a continue request.</summary>
    public static ToolExecution ToTool(JsonObject tool) => tool.Deserialize(ToolInfo) ?? new ToolExecution();

    /// <summary>A tool a caller sent back (an agent continue), or null when its fields do not have agno's types.</summary>
    public static ToolExecution? TryToTool(JsonObject tool)
    {
        try
        {
            return tool.Deserialize(ToolInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A requirement a caller sent back (a team continue), or null when its fields do not have agno's types.</summary>
    public static RunRequirement? TryToRequirement(JsonObject requirement)
    {
        try
        {
            return requirement.Deserialize(RequirementInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A requirement as agno writes it (<c>id</c>, <c>created_at</c>, the member, <c>tool_execution</c>, ...; unset fields left out).</summary>
    public static JsonObject ToNode(RunRequirement requirement) => JsonSerializer.SerializeToNode(requirement, RequirementWriteInfo)!.AsObject();

    /// <summary>A deep copy of a requirement (its tool and fields included), as it would be read back from its JSON.</summary>
    public static RunRequirement Copy(RunRequirement requirement)
        => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(requirement, RequirementWriteInfo), RequirementInfo) ?? new RunRequirement();

    /// <summary>A deep copy of a tool execution.</summary>
    public static ToolExecution Copy(ToolExecution tool)
        => JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(tool, ToolInfo), ToolInfo)!;

    /// <summary>A requirement read back from a run (one the host wrote or one a caller sent).</summary>
    public static RunRequirement ToRequirement(JsonObject requirement) => requirement.Deserialize(RequirementInfo) ?? new RunRequirement();

    private static void OmitUnsetRequirementFields(JsonTypeInfo info)
    {
        if (info.Type != typeof(RunRequirement))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (!property.IsExtensionData && property.Name != "tool_execution")
            {
                property.ShouldSerialize = static (_, value) => value is not null;
            }
        }
    }

    public static List<UserInputField> ToFields(JsonArray fields) => fields.Deserialize(FieldsInfo) ?? [];

    /// <summary>Run or message metrics as AgentOS writes them (zero counts and unset values omitted).</summary>
    public static JsonObject ToNode(RunMetrics metrics) => JsonSerializer.SerializeToNode(metrics, HostWireContext.Default.RunMetrics)!.AsObject();

    /// <summary>The timing of a tool call (its <c>metrics</c>).</summary>
    public static JsonElement ToolMetrics(double start, double duration)
        => JsonSerializer.SerializeToElement(new ToolCallMetrics(start, start + duration, duration), HostWireContext.Default.ToolCallMetrics);

    /// <summary>The duration of a tool call, 0 when it has no metrics.</summary>
    public static double Duration(ToolExecution tool)
        => tool.Metrics is { ValueKind: JsonValueKind.Object } metrics ? metrics.Deserialize(HostWireContext.Default.ToolCallMetrics)?.Duration ?? 0 : 0;
}

/// <summary>The <c>metrics</c> of a tool execution.</summary>
internal sealed record ToolCallMetrics(double? StartTime, double? EndTime, double? Duration);
