using Agno.AgentOS;
using Microsoft.SemanticKernel.Agents;

namespace Agno.SemanticKernel;

/// <summary>
/// A conversation with a remote AgentOS agent, team or workflow: an <see cref="AgentThread"/> whose
/// <see cref="AgentThread.Id"/> is the AgentOS session id. The server keeps the history, so each turn
/// sends only the new messages.
/// </summary>
/// <remarks>
/// A new thread has no id: the session is created by the first run, and the thread takes the id the
/// server gives it. To resume an existing session, pass its id. <see cref="AgentThread.DeleteAsync"/>
/// deletes the session on the server (<c>DELETE /sessions/{id}</c>, with <see cref="RequestOptions"/>); a thread
/// that never ran is just marked deleted.
/// </remarks>
/// <example>
/// <code>
/// var thread = new AgentOSAgentThread(client, sessionId: "support-42") { UserId = "alice" };
/// await foreach (var reply in agent.InvokeAsync("Where is my order?", thread)) { Console.WriteLine(reply.Message); }
/// </code>
/// </example>
public sealed class AgentOSAgentThread : AgentThread
{
    /// <summary>Creates a thread: a new conversation, or the continuation of an existing session.</summary>
    /// <param name="client">The client of the server that holds the session (used to delete it).</param>
    /// <param name="sessionId">An existing session to resume, or null for a new one (created by the first run).</param>
    public AgentOSAgentThread(AgentOSClient client, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (sessionId is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        }

        Client = client;
        Id = sessionId;
    }

    /// <summary>The client of the server that holds the session.</summary>
    public AgentOSClient Client { get; }

    /// <summary>The AgentOS session id (the same as <see cref="AgentThread.Id"/>); null until the first run.</summary>
    public string? SessionId => Id;

    /// <summary>The user the runs of this conversation are for (form field <c>user_id</c>), if any.</summary>
    public string? UserId { get; init; }

    /// <summary>
    /// Per-call options (e.g. the end user's token as <see cref="AgentOSRequestOptions.ApiKey"/>, extra headers) of the
    /// calls the thread makes itself: deleting the session. A thread created by an AgentOS agent (and the sessions of
    /// its group chat channel) gets the agent's <see cref="AgentOSAgentOptions.RequestOptions"/>; a thread without
    /// any gets them from the first AgentOS agent that runs in it.
    /// </summary>
    public AgentOSRequestOptions? RequestOptions { get; set; }

    /// <summary>The id of the last run made in this thread, if any.</summary>
    public string? LastRunId { get; private set; }

    /// <summary>Records the session the server ran in.</summary>
    /// <param name="sessionId">The session id from the run's events.</param>
    /// <param name="runId">The run id.</param>
    /// <returns>True when the thread got its id now (the session was created by this run).</returns>
    internal bool OnRun(string? sessionId, string? runId)
    {
        LastRunId = runId ?? LastRunId;
        if (Id is null && !string.IsNullOrEmpty(sessionId))
        {
            Id = sessionId;
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    /// <remarks>Does nothing until the first run: the server creates the session then.</remarks>
    protected override Task CreateAsync(CancellationToken cancellationToken = default)
    {
        if (IsDeleted)
        {
            throw new InvalidOperationException("This thread has been deleted and cannot be recreated.");
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>A thread that never ran has no session on the server; it is only marked deleted.</remarks>
    public override Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (!IsDeleted && Id is null)
        {
            IsDeleted = true;
            return Task.CompletedTask;
        }

        return base.DeleteAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task<string?> CreateInternalAsync(CancellationToken cancellationToken)
        => Task.FromResult(Id);

    /// <inheritdoc />
    protected override async Task DeleteInternalAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Client.DeleteSessionAsync(Id!, options: RequestOptions, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AgentOSNotFoundException)
        {
            // Already gone: the thread's goal is reached.
        }
    }

    /// <inheritdoc />
    /// <remarks>Nothing to do: the server keeps the history of the session.</remarks>
    protected override Task OnNewMessageInternalAsync(Microsoft.SemanticKernel.ChatMessageContent newMessage, CancellationToken cancellationToken = default)
        => Task.CompletedTask;
}
