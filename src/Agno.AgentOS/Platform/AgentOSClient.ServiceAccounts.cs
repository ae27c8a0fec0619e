using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

// Service accounts (agno's /service-accounts: JWT authorization and an OS database). Their agno_pat_ tokens are bearer
// tokens like any other: AgentOSClientOptions.ApiKey, AgentOSRequestOptions.ApiKey or an AgentOSTokenProvider.
public partial class AgentOSClient
{
    private const string ServiceAccountsFeature = "Service Accounts";

    /// <summary>Lists service accounts, one page (<c>GET /service-accounts</c>).</summary>
    /// <param name="limit">Page size.</param>
    /// <param name="page">Page number from 1.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page (tokens are never listed).</returns>
    public virtual Task<Page<ServiceAccount>> ListServiceAccountsAsync(int? limit = null, int? page = null, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ServiceAccountsFeature, Pipeline.SendJsonAsync(HttpMethod.Get, Paths.WithQuery("service-accounts", ("limit", Number(limit)), ("page", Number(page))), null, AgentOSPlatformJsonContext.Default.PageServiceAccount, options, cancellationToken));

    /// <summary>
    /// Creates a service account (<c>POST /service-accounts</c>, 201, an admin JWT): the answer carries its
    /// <c>agno_pat_</c> token in <see cref="ServiceAccount.Token"/>, once.
    /// </summary>
    /// <param name="request">The account.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account with its token.</returns>
    /// <exception cref="AgentOSAuthenticationException">The server has no JWT authentication (401).</exception>
    /// <exception cref="AgentOSMissingScopeException">The token lacks <c>service_accounts:write</c>.</exception>
    /// <exception cref="AgentOSConflictException">An active account has that name (409).</exception>
    public virtual async Task<ServiceAccount> CreateServiceAccountAsync(CreateServiceAccountRequest request, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var content = JsonOf(request, AgentOSPlatformJsonContext.Default.CreateServiceAccountRequest);
        return await FeatureAsync(ServiceAccountsFeature, Pipeline.SendJsonAsync(HttpMethod.Post, "service-accounts", content, AgentOSPlatformJsonContext.Default.ServiceAccount, options, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Revokes a service account (<c>DELETE /service-accounts/{id}</c>, 204): its token stops working (401).</summary>
    /// <param name="serviceAccountId">The account id.</param>
    /// <param name="options">Per-call options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is revoked.</returns>
    /// <exception cref="AgentOSNotFoundException">No such account.</exception>
    public virtual Task DeleteServiceAccountAsync(string serviceAccountId, AgentOSRequestOptions? options = null, CancellationToken cancellationToken = default)
        => FeatureAsync(ServiceAccountsFeature, Pipeline.SendNoContentAsync(HttpMethod.Delete, "service-accounts/" + Paths.Segment(serviceAccountId, nameof(serviceAccountId)), null, options, cancellationToken));
}
