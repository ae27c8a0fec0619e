using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI;

/// <summary>
/// A paused AgentOS run asks the user for values: the fields of a tool that requires user input, the input of a
/// workflow step, or the route of a workflow router. Nothing runs locally: answer with
/// <see cref="CreateResponse(string, JsonNode?)"/> (or <see cref="CreateChoiceResponse"/> for a route) in a message of
/// the next run of the same session, which continues the run on the server.
/// </summary>
public sealed class AgentOSInputRequestContent : InputRequestContent
{
    /// <summary>Creates a request.</summary>
    /// <param name="requestId">The id that correlates the request with its response.</param>
    [JsonConstructor]
    public AgentOSInputRequestContent(string requestId)
        : base(requestId)
    {
    }

    /// <summary>The prompt to show, when the server gives one (workflow steps).</summary>
    public string? Message { get; set; }

    /// <summary>The fields to fill in (some may carry a value the model already chose).</summary>
    public IList<UserInputField> Fields { get; set; } = [];

    /// <summary>For a workflow router: the routes to choose from; otherwise null.</summary>
    public IList<string>? Choices { get; set; }

    /// <summary>For a workflow router: whether several routes may be chosen.</summary>
    public bool AllowMultipleChoices { get; set; }

    /// <summary>The tool call that waits for the input, informational only (the tool runs on the server); null for workflow steps.</summary>
    public FunctionCallContent? ToolCall { get; set; }

    /// <summary>Creates the answer with the values of the fields.</summary>
    /// <param name="values">Field name to value (a JSON value: <c>"high"</c>, <c>3</c>, <c>true</c>, ...).</param>
    /// <returns>The response to send in the next run.</returns>
    public AgentOSInputResponseContent CreateResponse(IDictionary<string, JsonNode?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var response = new AgentOSInputResponseContent(RequestId);
        foreach (var (name, value) in values)
        {
            response.Values[name] = value;
        }

        return response;
    }

    /// <summary>Creates the answer with the value of one field.</summary>
    /// <param name="fieldName">The field's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The response to send in the next run.</returns>
    public AgentOSInputResponseContent CreateResponse(string fieldName, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldName);
        var response = new AgentOSInputResponseContent(RequestId);
        response.Values[fieldName] = value;
        return response;
    }

    /// <summary>Creates the answer of a workflow router: the chosen routes.</summary>
    /// <param name="choices">The chosen routes, among <see cref="Choices"/>.</param>
    /// <returns>The response to send in the next run.</returns>
    public AgentOSInputResponseContent CreateChoiceResponse(params string[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return new AgentOSInputResponseContent(RequestId) { SelectedChoices = [.. choices] };
    }
}

/// <summary>The answer to an <see cref="AgentOSInputRequestContent"/>: field values, or chosen routes.</summary>
public sealed class AgentOSInputResponseContent : InputResponseContent
{
    /// <summary>Creates a response.</summary>
    /// <param name="requestId">The <see cref="InputRequestContent.RequestId"/> of the request answered.</param>
    [JsonConstructor]
    public AgentOSInputResponseContent(string requestId)
        : base(requestId)
    {
    }

    /// <summary>Field name to value.</summary>
    public IDictionary<string, JsonNode?> Values { get; set; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>For a workflow router: the chosen routes.</summary>
    public IList<string>? SelectedChoices { get; set; }
}
