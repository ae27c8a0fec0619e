using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Runs an agent (or a team leader) on its chat client and emits AgentOS events. The run reads top to bottom:
/// <see cref="ModelLoop"/> calls the model, <see cref="ToolDispositions"/> decides each tool call (run by the host,
/// paused for a human, left to the caller), <see cref="TeamDelegation"/> runs team members,
/// <see cref="RunContinuation"/> resumes a paused run and <see cref="RunEndings"/> ends it. The run's state is kept
/// in <see cref="Run"/>.
/// </summary>
internal sealed class ChatRunner
{
    private readonly ChatRunContext _ctx;
    private readonly ModelLoop _model;
    private readonly ToolDispositions _dispositions;
    private readonly RunContinuation _continuation;
    private readonly RunEndings _endings;

    public ChatRunner(RunEnvironment env, ChatSpec spec, ChatRun run, IEventSink sink)
    {
        _ctx = new ChatRunContext(env, spec, run, sink);
        var ledger = new ToolLedger(_ctx);
        var delegation = spec.Team is { } team ? new TeamDelegation(_ctx, ledger, team) : null;
        _model = new ModelLoop(_ctx, ledger);
        _dispositions = new ToolDispositions(_ctx, ledger, delegation);
        _continuation = new RunContinuation(_ctx, _dispositions, delegation);
        _endings = new RunEndings(_ctx, ledger);
    }

    public ChatRun Run => _ctx.Run;

    /// <summary>Called once the run's state is final, before its last event is sent (so a client that reads the
    /// last event can already get the stored run).</summary>
    public Func<ValueTask>? Persist
    {
        get => _ctx.Persist;
        set => _ctx.Persist = value;
    }

    /// <summary>Creates a new run's state.</summary>
    public static ChatRun NewRun(ChatSpec spec, string runId, string sessionId, string? parentRunId, bool emitParent, StepContext? step, long now)
        => new()
        {
            Source = new EventSource
            {
                Scope = spec.Scope,
                ComponentId = spec.Id,
                ComponentName = spec.Name,
                RunId = runId,
                SessionId = sessionId,
                ParentRunId = parentRunId,
                EmitParentRunId = emitParent,
                Step = step,
            },
            ModelId = spec.ModelId,
            ModelProvider = spec.ModelProvider,
            CreatedAt = now,
        };

    /// <summary>Runs a new message.</summary>
    public async Task StartAsync(string message, IReadOnlyList<AIContent> media, IReadOnlyList<MessageBody> history, CancellationToken cancellationToken)
    {
        long now = _ctx.Env.Now;
        var run = Run;
        var conversation = _ctx.Conversation;
        run.Status = RunStatus.Running;
        if (_ctx.Spec.SystemMessage is { Length: > 0 } system)
        {
            run.Messages.Add(MessageMapper.System(system, now));
            conversation.Add(new ChatMessage(ChatRole.System, system));
        }

        if (history.Count > 0)
        {
            var messages = history.ToList(); // the store's messages, read for this run
            conversation.AddRange(MessageMapper.ToChat(messages));
            messages.ForEach(m => m.FromHistory = true);
            run.HistoryMessages = messages;
        }

        run.Messages.Add(MessageMapper.User(message, now, run.Input));
        var userContents = new List<AIContent>(1 + media.Count) { new TextContent(message) };
        userContents.AddRange(media);
        conversation.Add(new ChatMessage(ChatRole.User, userContents));

        await GuardAsync(async ct =>
        {
            await _ctx.EmitLifecycleAsync(_ctx.Event("RunStarted", EventPayloads.Model(_ctx.Spec.ModelId, _ctx.Spec.ModelProvider))).ConfigureAwait(false);
            await LoopAsync(lazyFirst: false, resolved: null, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Continues a paused run. The caller has already copied the human's answers onto <see cref="ChatRun.Tools"/>
    /// (and, for a team, onto its members' runs).
    /// </summary>
    public async Task ContinueAsync(IReadOnlyList<MessageBody> history, CancellationToken cancellationToken)
    {
        var run = Run;
        _continuation.RestoreConversation(history);
        run.Status = RunStatus.Running;
        run.Continued = true;
        run.ContentText.Clear();
        run.ContentObject = null;

        await GuardAsync(async ct =>
        {
            await _ctx.EmitAsync(_ctx.Event("RunContinued")).ConfigureAwait(false);
            var responded = await _continuation.ResolveAsync(ct).ConfigureAwait(false);
            if (run.Pending.Count > 0)
            {
                await _endings.PauseAsync().ConfigureAwait(false);
                return;
            }

            await LoopAsync(lazyFirst: responded.Count > 0, responded, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task GuardAsync(Func<CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        try
        {
            await body(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _endings.CancelledAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Any other failure, including a chat client's own timeout, fails the run as AgentOS does (RunError).
            Log.RunFailed(_ctx.Env.Logger, ex, _ctx.Spec.Scope.ToString(), _ctx.Spec.Id, Run.Source.RunId);
            await _endings.FailedAsync(ex).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Calls the model until it answers without tool calls, or until a call waits for a human.
    /// <paramref name="lazyFirst"/>: the first call replays answered calls (no model-request events until new output).
    /// </summary>
    private async Task LoopAsync(bool lazyFirst, HashSet<string>? resolved, CancellationToken ct)
    {
        bool lazy = lazyFirst;
        for (int calls = 0; ; calls++)
        {
            if (calls >= _ctx.Env.Options.MaxModelCallsPerRun)
            {
                throw new InvalidOperationException($"The run made {calls} model calls without finishing (AgentOSHostOptions.MaxModelCallsPerRun).");
            }

            var turn = await _model.CallModelAsync(lazy, resolved, ct).ConfigureAwait(false);
            lazy = false;
            resolved = null;
            bool again = await _dispositions.DecideAsync(turn, ct).ConfigureAwait(false);
            if (Run.Pending.Count > 0)
            {
                await _endings.PauseAsync().ConfigureAwait(false);
                return;
            }

            if (!again)
            {
                await _endings.CompleteAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
