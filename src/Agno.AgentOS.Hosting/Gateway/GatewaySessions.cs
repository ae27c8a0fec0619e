using Microsoft.AspNetCore.Http;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The session routes of a gateway: sessions of remote components live on their servers, so a request is sent on
/// to them when it names a remote database (<c>db_id</c>), lists a remote component's sessions (<c>component_id</c>),
/// or names a session this host does not have (each remote server is asked in turn; the first that knows it answers).
/// </summary>
internal static class GatewaySessions
{
    /// <summary>Which session route is asked.</summary>
    public enum Route
    {
        /// <summary><c>GET /sessions</c> and <c>POST /sessions</c>.</summary>
        Collection,

        /// <summary>A route of one session (get, runs, run, rename, PATCH).</summary>
        Single,

        /// <summary><c>DELETE /sessions/{id}</c>: sent to every remote server when the session is not here.</summary>
        Delete,

        /// <summary><c>DELETE /sessions</c>: forwarded here only when it names a remote database (see <see cref="DeleteElsewhereAsync"/>).</summary>
        DeleteMany,
    }

    /// <summary>
    /// <c>DELETE /sessions</c> of sessions some of which this host does not have: the request is sent on to every remote
    /// server (a server deletes the ones it has; AgentOS answers 204 either way), the last one's answer relayed.
    /// </summary>
    /// <returns>Whether it was forwarded (and answered); false when there is no remote server.</returns>
    public static async Task<bool> DeleteElsewhereAsync(HttpContext context, AgentOSRuntime runtime, byte[] body)
    {
        var clients = runtime.Registry.RemoteClients;
        for (int i = 0; i < clients.Count; i++)
        {
            bool last = i == clients.Count - 1;
            int? status = await runtime.Proxy.ForwardAsync(context, runtime, clients[i], body, _ => last).ConfigureAwait(false);
            if (status is null)
            {
                return true;
            }
        }

        return clients.Count > 0;
    }

    /// <summary>
    /// Forwards the request when it is for remote sessions; answers AgentOS's 404 when it names a database that is
    /// neither this host's nor a remote component's (<c>No database found with id '...'</c>, on any host).
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="runtime">The host.</param>
    /// <param name="route">Which session route is asked.</param>
    /// <param name="body">The request's body when the route has read it already (null: it is streamed on).</param>
    /// <returns>Whether it was answered (forwarded, or the unknown database's 404).</returns>
    public static async Task<bool> TryForwardAsync(HttpContext context, AgentOSRuntime runtime, Route route, byte[]? body = null)
    {
        var clients = runtime.Registry.RemoteClients;
        var ct = context.RequestAborted;
        if (context.Query("db_id") is { Length: > 0 } db && db != runtime.Options.DatabaseId)
        {
            var owner = clients.Count == 0 ? null : await ClientOfDatabaseAsync(runtime, db, ct).ConfigureAwait(false);
            if (owner is null)
            {
                await Wire.WriteDetailAsync(context, StatusCodes.Status404NotFound, $"No database found with id '{db}'").ConfigureAwait(false);
                return true;
            }

            await runtime.Proxy.ForwardAsync(context, runtime, owner, body).ConfigureAwait(false);
            return true;
        }

        if (clients.Count == 0 || route == Route.DeleteMany)
        {
            return false;
        }

        if (route == Route.Collection)
        {
            if (context.Query("component_id") is { Length: > 0 } componentId && RemoteOfType(runtime, context.Query("type"), componentId) is { } remote)
            {
                await runtime.Proxy.ForwardAsync(context, runtime, remote.Client).ConfigureAwait(false);
                return true;
            }

            // a gateway of one remote server's components only: AgentOS's one database is then that server's
            if (clients.Count == 1 && runtime.Registry.All.All(e => e.IsRemote))
            {
                await runtime.Proxy.ForwardAsync(context, runtime, clients[0]).ConfigureAwait(false);
                return true;
            }

            return false;
        }

        string sessionId = context.Route("session_id");
        if (await runtime.Store.GetSessionAsync(sessionId, includeRuns: false, ct).ConfigureAwait(false) is not null)
        {
            return false;
        }

        if (body is null && (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0))
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, ct).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        for (int i = 0; i < clients.Count; i++)
        {
            bool last = i == clients.Count - 1;
            int? status = await runtime.Proxy.ForwardAsync(context, runtime, clients[i], body, s => last || (route == Route.Single ? s != StatusCodes.Status404NotFound : false)).ConfigureAwait(false);
            if (status is null || last || (route == Route.Single && status != StatusCodes.Status404NotFound))
            {
                return true;
            }
        }

        return true;
    }

    private static RemoteComponent? RemoteOfType(AgentOSRuntime runtime, string? type, string componentId)
    {
        var kind = type switch
        {
            AgentOSSessionTypes.Team => ComponentKind.Team,
            AgentOSSessionTypes.Workflow => ComponentKind.Workflow,
            _ => ComponentKind.Agent,
        };
        return runtime.Registry.Find(kind, componentId)?.Remote;
    }

    private static async Task<AgentOSClient?> ClientOfDatabaseAsync(AgentOSRuntime runtime, string db, CancellationToken cancellationToken)
    {
        foreach (var entry in runtime.Registry.All.Where(e => e.IsRemote))
        {
            try
            {
                var details = await entry.Remote!.GetDetailsAsync(cancellationToken).ConfigureAwait(false);
                if (details.DbId == db)
                {
                    return entry.Remote.Client;
                }
            }
            catch (AgentOSException ex)
            {
                Log.RemoteFailed(runtime.Logger, ex, entry.Kind.ToString(), entry.Id);
            }
        }

        return null;
    }
}
