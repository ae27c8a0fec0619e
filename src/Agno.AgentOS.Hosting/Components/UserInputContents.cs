using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting;

/// <summary>A field the user fills in (AgentOS's <c>user_input_schema</c> entry).</summary>
public sealed class UserInputFieldDefinition
{
    /// <summary>Creates a field.</summary>
    /// <param name="name">The field's name (a tool argument name for tool input).</param>
    /// <param name="fieldType">The type: <c>str</c>, <c>int</c>, <c>float</c>, <c>bool</c>, <c>list</c> or <c>dict</c>.</param>
    /// <param name="description">What the field means.</param>
    public UserInputFieldDefinition(string name, string fieldType = "str", string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(fieldType);
        Name = name;
        FieldType = fieldType;
        Description = description;
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>The type name.</summary>
    public string FieldType { get; }

    /// <summary>What the field means.</summary>
    public string? Description { get; }

    /// <summary>Whether a value is required (workflow step input; on by default).</summary>
    public bool Required { get; set; } = true;

    /// <summary>A value already known (e.g. chosen by the model); null when the user must give it.</summary>
    public JsonNode? Value { get; set; }
}

/// <summary>
/// A chat client's request for values from the user before a tool call runs: the AgentOS "requires user input"
/// pause. The hosted run pauses with the tool and its <see cref="Fields"/> (<c>requires_user_input</c>,
/// <c>user_input_schema</c>); continuing it sends the chat client a <see cref="UserInputResponseContent"/> with
/// the values, in a user message.
/// </summary>
public sealed class UserInputRequestContent : InputRequestContent
{
    /// <summary>Creates a request.</summary>
    /// <param name="requestId">Correlates the request with its response.</param>
    /// <param name="toolCall">The tool call waiting for the values.</param>
    /// <param name="fields">The fields (those with a <see cref="UserInputFieldDefinition.Value"/> are already known).</param>
    public UserInputRequestContent(string requestId, FunctionCallContent toolCall, IEnumerable<UserInputFieldDefinition> fields)
        : base(requestId)
    {
        ArgumentNullException.ThrowIfNull(toolCall);
        ArgumentNullException.ThrowIfNull(fields);
        ToolCall = toolCall;
        Fields = [.. fields];
    }

    /// <summary>The tool call waiting for the values.</summary>
    public FunctionCallContent ToolCall { get; }

    /// <summary>The fields.</summary>
    public IList<UserInputFieldDefinition> Fields { get; }

    /// <summary>Creates the response carrying the values.</summary>
    /// <param name="values">Field name to value.</param>
    /// <returns>The response.</returns>
    public UserInputResponseContent CreateResponse(IReadOnlyDictionary<string, JsonNode?> values) => new(RequestId, ToolCall, values);
}

/// <summary>The user's values for a <see cref="UserInputRequestContent"/>.</summary>
public sealed class UserInputResponseContent : InputResponseContent
{
    /// <summary>Creates a response.</summary>
    /// <param name="requestId">The request's id.</param>
    /// <param name="toolCall">The tool call the values are for.</param>
    /// <param name="values">Field name to value.</param>
    public UserInputResponseContent(string requestId, FunctionCallContent toolCall, IReadOnlyDictionary<string, JsonNode?> values)
        : base(requestId)
    {
        ArgumentNullException.ThrowIfNull(toolCall);
        ArgumentNullException.ThrowIfNull(values);
        ToolCall = toolCall;
        Values = values;
    }

    /// <summary>The tool call the values are for.</summary>
    public FunctionCallContent ToolCall { get; }

    /// <summary>Field name to value.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Values { get; }
}
