using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// The continuation of a paused run: rebuilds the conversation from the stored run, then resolves each call the run
/// waits on with the human's answer (already copied onto the run's tools, or onto its members' runs).
/// </summary>
internal sealed class RunContinuation
{
    private readonly ChatRunContext _ctx;
    private readonly ToolDispositions _dispositions;
    private readonly TeamDelegation? _delegation;

    public RunContinuation(ChatRunContext ctx, ToolDispositions dispositions, TeamDelegation? delegation)
    {
        _ctx = ctx;
        _dispositions = dispositions;
        _delegation = delegation;
    }

    /// <summary>The conversation of the continued run: system message, history, then the run's own messages.</summary>
    public void RestoreConversation(IReadOnlyList<MessageBody> history)
    {
        var run = _ctx.Run;
        if (_ctx.Spec.SystemMessage is { Length: > 0 } system)
        {
            _ctx.Conversation.Add(new ChatMessage(ChatRole.System, system));
        }

        if (history.Count > 0)
        {
            _ctx.Conversation.AddRange(MessageMapper.ToChat(history));
        }

        _ctx.Conversation.AddRange(MessageMapper.ToChat(run.Messages, run.Pending));
    }

    /// <summary>
    /// Resolves the pending calls. Returns the calls answered with a response to the chat client (the next model
    /// call replays them without new events); the run's <see cref="ChatRun.Pending"/> keeps the unanswered ones.
    /// </summary>
    public async Task<HashSet<string>> ResolveAsync(CancellationToken ct)
    {
        var run = _ctx.Run;
        var responded = new HashSet<string>(StringComparer.Ordinal);
        var stillPending = new List<PendingCall>();
        var responses = new List<AIContent>();
        foreach (var pending in run.Pending)
        {
            if (pending.Kind == PendingKind.Member)
            {
                bool finished = _delegation is null
                    ? throw new InvalidOperationException("Only a team run waits on a member.")
                    : await _delegation.ContinueMemberAsync(pending, ct).ConfigureAwait(false);
                if (!finished)
                {
                    stillPending.Add(pending);
                }

                continue;
            }

            switch (await _dispositions.ResolveAsync(pending, responses, ct).ConfigureAwait(false))
            {
                case Resolution.StillPending:
                    stillPending.Add(pending);
                    break;
                case Resolution.Responded:
                    responded.Add(pending.CallId);
                    break;
            }
        }

        if (responses.Count > 0)
        {
            _ctx.Conversation.Add(new ChatMessage(ChatRole.User, responses));
        }

        run.Pending = stillPending;
        return responded;
    }
}
