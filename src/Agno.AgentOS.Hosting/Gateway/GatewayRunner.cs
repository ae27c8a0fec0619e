using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Errors of the gateway's typed calls (discovery: <c>/config</c>, <c>/agents</c>, ...): the remote's status and
/// <c>detail</c>. Runs, continues, cancels, stored runs and sessions go through <see cref="GatewayProxy"/> unchanged.
/// </summary>
internal static class GatewayRunner
{
    /// <summary>Answers with a remote error: its status and <c>detail</c>; 503 when the remote is unreachable.</summary>
    public static Task WriteRemoteErrorAsync(HttpContext context, AgentOSException ex)
    {
        int status = ex switch
        {
            { StatusCode: { } code } => (int)code,
            AgentOSServerUnavailableException => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status502BadGateway,
        };
        JsonNode? detail = ex.DetailJson is { } json ? JsonNode.Parse(json.GetRawText()) : JsonValue.Create(ex.Detail ?? ex.Message);
        return Wire.WriteJsonAsync(context, new RemoteDetailBody(detail), HostWireContext.Default.RemoteDetailBody, status);
    }
}
