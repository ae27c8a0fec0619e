using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Extensions.AI;

/// <summary>
/// A paused AgentOS run asks the user for values: the fields of a tool that requires user input, the input of a
/// workflow step, or the route of a workflow router. The one "AgentOS user-input request" content of these packages:
/// the chat client adapters raise it for a remote run, and a chat client served by Agno.AgentOS.Hosting returns it
/// (with <see cref="ToolCall"/> and <see cref="Fields"/>) to pause its hosted run. Nothing runs locally: answer with <see cref="CreateResponse(IDictionary{string, JsonNode})"/>
/// (or <see cref="CreateChoiceResponse"/> for a route) in a message of the next call, which continues the run on the server.
/// </summary>
public sealed class AgnoInputRequestContent : InputRequestContent
{
    /// <summary>Creates a request.</summary>
    /// <param name="requestId">The id that correlates the request with its response.</param>
    [JsonConstructor]
    public AgnoInputRequestContent(string requestId)
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

    /// <summary>
    /// The tool call that waits for the input (tools that require user input), informational only
    /// (<see cref="FunctionCallContent.InformationalOnly"/> is true): the tool runs on the server.
    /// </summary>
    public FunctionCallContent? ToolCall { get; set; }

    /// <summary>Creates the answer with the values of the fields.</summary>
    /// <param name="values">Field name to value (a JSON value: <c>"high"</c>, <c>3</c>, <c>true</c>, ...).</param>
    /// <returns>The response to send in the next call.</returns>
    public AgnoInputResponseContent CreateResponse(IDictionary<string, JsonNode?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var response = new AgnoInputResponseContent(RequestId) { ToolCall = ToolCall };
        foreach (var (name, value) in values)
        {
            response.Values[name] = value;
        }

        return response;
    }

    /// <summary>Creates the answer with the value of one field.</summary>
    /// <param name="fieldName">The field's name.</param>
    /// <param name="value">The value.</param>
    /// <returns>The response to send in the next call.</returns>
    public AgnoInputResponseContent CreateResponse(string fieldName, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(fieldName);
        var response = new AgnoInputResponseContent(RequestId) { ToolCall = ToolCall };
        response.Values[fieldName] = value;
        return response;
    }

    /// <summary>Creates the answer of a workflow router: the chosen routes.</summary>
    /// <param name="choices">The chosen routes, among <see cref="Choices"/>.</param>
    /// <returns>The response to send in the next call.</returns>
    public AgnoInputResponseContent CreateChoiceResponse(params string[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return new AgnoInputResponseContent(RequestId) { SelectedChoices = [.. choices] };
    }
}

/// <summary>The answer to an <see cref="AgnoInputRequestContent"/>: field values, or chosen routes.</summary>
public sealed class AgnoInputResponseContent : InputResponseContent
{
    /// <summary>Creates a response.</summary>
    /// <param name="requestId">The <see cref="InputRequestContent.RequestId"/> of the request answered.</param>
    [JsonConstructor]
    public AgnoInputResponseContent(string requestId)
        : base(requestId)
    {
    }

    /// <summary>Field name to value.</summary>
    public IDictionary<string, JsonNode?> Values { get; set; } = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);

    /// <summary>For a workflow router: the chosen routes.</summary>
    public IList<string>? SelectedChoices { get; set; }

    /// <summary>
    /// The tool call the values are for, when the request was a tool's (<see cref="AgnoInputRequestContent.CreateResponse(IDictionary{string, JsonNode})"/>
    /// copies the request's). An AgentOS host (Agno.AgentOS.Hosting) sends it to its chat client with the values
    /// applied to the call's arguments. Optional: the <see cref="InputResponseContent.RequestId"/> identifies the request.
    /// </summary>
    public FunctionCallContent? ToolCall { get; set; }
}
