namespace Agno.AgentOS;

/// <summary>
/// Supplies the bearer token of every call (discovery included): a rotating JWT from an identity provider, an
/// <c>agno_pat_</c> service-account token from a secret store, or anything else that changes over time. Set it as
/// <see cref="AgentOSClientOptions.TokenProvider"/>, or register one in the service container (the client of
/// <c>AddAgnoAgentOS</c> uses the keyed one of its name, else the unkeyed one). Modelled on Azure.Core's
/// <c>TokenCredential</c>: the provider caches its token and refreshes it when it expires; the client asks again
/// with <see cref="AgentOSTokenRequest.ForceRefresh"/> set after a 401 answer, and sends the call once more with
/// the new token (once; a second 401 is thrown as <see cref="AgentOSAuthenticationException"/>).
/// </summary>
/// <remarks>
/// The token is asked for on every call, so the provider must answer fast from its cache. A per-call
/// <see cref="AgentOSRequestOptions.ApiKey"/> replaces the provider for that call. A token is never logged and
/// never appears in an exception message.
/// </remarks>
public abstract class AgentOSTokenProvider
{
    /// <summary>Gets the token to send (without the <c>Bearer </c> prefix), or null to send no Authorization header.</summary>
    /// <param name="request">Why the token is asked for (a refresh after a 401, or not).</param>
    /// <param name="cancellationToken">Cancels the call that needs the token.</param>
    /// <returns>The token, or null.</returns>
    public abstract ValueTask<string?> GetTokenAsync(AgentOSTokenRequest request, CancellationToken cancellationToken);

    /// <summary>A provider from a callback.</summary>
    /// <param name="callback">Answers each request; it caches and refreshes as it sees fit.</param>
    /// <returns>The provider.</returns>
    public static AgentOSTokenProvider Create(Func<AgentOSTokenRequest, CancellationToken, ValueTask<string?>> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new CallbackTokenProvider(callback);
    }

    private sealed class CallbackTokenProvider(Func<AgentOSTokenRequest, CancellationToken, ValueTask<string?>> callback) : AgentOSTokenProvider
    {
        public override ValueTask<string?> GetTokenAsync(AgentOSTokenRequest request, CancellationToken cancellationToken) => callback(request, cancellationToken);
    }
}

/// <summary>What an <see cref="AgentOSTokenProvider"/> is asked for.</summary>
public sealed class AgentOSTokenRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="baseAddress">The server the token is for.</param>
    /// <param name="forceRefresh">Whether the server refused the last token (a 401): a cached token must not be returned again.</param>
    public AgentOSTokenRequest(Uri baseAddress, bool forceRefresh)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        BaseAddress = baseAddress;
        ForceRefresh = forceRefresh;
    }

    /// <summary>The server the token is for (the client's base address).</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// True after the server answered 401 to the token returned last: drop the cached token and get a new one. The
    /// call is then sent once more with it.
    /// </summary>
    public bool ForceRefresh { get; }

    /// <summary>Describes the request.</summary>
    /// <returns>A description.</returns>
    public override string ToString() => $"AgentOSTokenRequest {{ BaseAddress = {BaseAddress}, ForceRefresh = {ForceRefresh} }}";
}
