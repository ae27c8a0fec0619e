using System.Text.Json.Nodes;

namespace Agno.AgentOS.Hosting;

/// <summary>
/// A field a hosted workflow step asks the user for (<see cref="WorkflowStep.UserInputFields"/>; a paused run lists it
/// in <c>user_input_schema</c>). A chat client asks for tool input with an <see cref="Agno.Extensions.AI.AgnoInputRequestContent"/>
/// and its <see cref="UserInputField"/>s instead.
/// </summary>
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

    /// <summary>Whether a value is required (on by default).</summary>
    public bool Required { get; set; } = true;

    /// <summary>A value already known (e.g. chosen by the model); null when the user must give it.</summary>
    public JsonNode? Value { get; set; }
}
