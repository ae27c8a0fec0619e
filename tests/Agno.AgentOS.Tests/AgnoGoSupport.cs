using System.Text;
using System.Text.Json;
using Agno.Testing;

namespace Agno.AgentOS.Tests;

/// <summary>Helpers of the agno-go dialect's tests: its fixtures (Fixtures/agno-go) and a client that speaks agno-go.</summary>
internal static class AgnoGo
{
    public static FixtureSet Set => FixtureSet.AgnoGo;

    public static RecordedExchange Get(string fixture) => FixtureSet.AgnoGo.Get(fixture);

    public static Task<ReplayServer> StartAsync() => ReplayServer.StartAsync(FixtureSet.AgnoGo);

    public static AgentOSClient Client(ReplayServer server, AgentOSDialect dialect = AgentOSDialect.AgnoGo, Action<AgentOSClientOptions>? configure = null, TimeProvider? time = null)
        => TestSupport.Client(server, configure: o =>
        {
            o.Dialect = dialect;
            configure?.Invoke(o);
        }, time: time);

    /// <summary>The JSON body of a recorded answer.</summary>
    public static JsonElement Json(string fixture) => JsonDocument.Parse(Get(fixture).ResponseBody).RootElement;

    /// <summary>The JSON body the client sent.</summary>
    public static JsonElement Sent(ReceivedRequest request) => JsonDocument.Parse(request.Body).RootElement;

    /// <summary>
    /// The exchange of <paramref name="fixture"/> as the same server answers it on another route: agno-go runs
    /// <c>POST .../run</c> with <c>"stream": true</c> and <c>POST .../run/stream</c> with the same handler
    /// (<c>streamAgentRun</c>, agent_handlers.go:249-446), so the recorded answer is the other route's answer too. The request
    /// side is the recorded one without <c>"stream"</c> (which <c>/run/stream</c> ignores).
    /// </summary>
    public static RecordedExchange OnStreamRoute(string fixture)
    {
        var recorded = Get(fixture);
        var body = System.Text.Json.Nodes.JsonNode.Parse(recorded.RequestBody)!.AsObject();
        body.Remove("stream");
        return new RecordedExchange
        {
            Name = recorded.Name + "-on-run-stream",
            Method = recorded.Method,
            Target = recorded.Path + "/stream",
            RequestHeaders = recorded.RequestHeaders,
            RequestBody = Encoding.UTF8.GetBytes(body.ToJsonString()),
            StatusCode = recorded.StatusCode,
            ResponseHeaders = recorded.ResponseHeaders,
            ResponseBody = recorded.ResponseBody,
        };
    }

    /// <summary>A recorded exchange with another request target (same answer).</summary>
    public static RecordedExchange At(string fixture, string target, byte[]? body = null)
    {
        var recorded = Get(fixture);
        return new RecordedExchange
        {
            Name = recorded.Name + "-at-" + target,
            Method = recorded.Method,
            Target = target,
            RequestHeaders = recorded.RequestHeaders,
            RequestBody = recorded.RequestBody,
            StatusCode = recorded.StatusCode,
            ResponseHeaders = recorded.ResponseHeaders,
            ResponseBody = body ?? recorded.ResponseBody,
        };
    }
}
