using System.Diagnostics;
using Agno.Extensions.AI;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Agno.Agents.AI.Internal;
using Agno.AgentOS;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI;

/// <summary>
/// A remote AgentOS agent, team or workflow as a Microsoft Agent Framework <see cref="AIAgent"/>: usable alone, as a
/// member of MAF workflows (sequential, concurrent, handoff, group chat, checkpointed), with AgentOS's sessions,
/// human-in-the-loop pauses and server-side cancellation. Create one with <c>AsAIAgent()</c> on a
/// <see cref="RemoteAgent"/>, <see cref="RemoteTeam"/> or <see cref="RemoteWorkflow"/>.
/// </summary>
/// <remarks>
/// <para><b>Sessions.</b> An <see cref="AgentOSAgentSession"/> is the AgentOS session: the server keeps the history, so
/// each run sends only the messages it is given (MAF hands an agent only the messages new to its session). Several
/// messages (a fresh session seeded with earlier turns, the conversation a MAF workflow hands on) go as one
/// plain-text transcript, one <c>name: text</c> paragraph each, and system messages as leading <c>system: ...</c>
/// paragraphs: text every component kind reads as its input, never JSON inside a message.</para>
/// <para><b>Responses.</b> One assistant message per run: the answer (the agent's, the team leader's, or the
/// workflow's final content), reasoning as <see cref="TextReasoningContent"/>, the tools that ran on the server as
/// informational <see cref="FunctionCallContent"/> with their <see cref="FunctionResultContent"/>, usage;
/// <c>ResponseId</c> and <c>MessageId</c> are the run id, <c>AuthorName</c> the agent's name in a form chat APIs accept
/// as <c>name</c>. Team member and workflow step milestones stream as updates without contents whose
/// <c>AdditionalProperties</c> name the member or step (<see cref="AgentOSPropertyNames"/>): they add neither text
/// nor messages.</para>
/// <para><b>Human in the loop.</b> A paused run answers with <see cref="ToolApprovalRequestContent"/> (a tool or a
/// workflow step to confirm), <see cref="AgnoInputRequestContent"/> (user input, a route), or a plain
/// <see cref="FunctionCallContent"/> for a tool the caller runs; send the answers
/// (<see cref="ToolApprovalRequestContent.CreateResponse"/>, <see cref="AgnoInputRequestContent.CreateResponse(string, System.Text.Json.Nodes.JsonNode?)"/>,
/// <see cref="FunctionResultContent"/>) in the next run: it continues the paused run on the server, from any process
/// (the request ids name the run and the session; the paused run is read back from the server).</para>
/// <para><b>Cancellation.</b> Runs always stream from the server (<c>RunAsync</c> aggregates the stream), so the run id
/// is known early: cancelling the token, or abandoning the stream before it ends, closes the connection and asks the
/// server to cancel the run by id.</para>
/// <para><b>Background responses.</b> With <see cref="AgentRunOptions.AllowBackgroundResponses"/>, the run starts as an
/// AgentOS background run: <c>RunAsync</c> answers at once with a <see cref="AgentResponse.ContinuationToken"/> (pass it
/// back in <see cref="AgentRunOptions.ContinuationToken"/> to poll: the token again while it runs, the answer once it
/// ended), and every streamed update but the last carries one that resumes the stream after its event (after a broken
/// connection, or in another process). Background runs are not cancelled when the caller's token is.</para>
/// <para><b>Media.</b> <see cref="DataContent"/> and <see cref="UriContent"/> in the messages become the run's images,
/// audio, videos or documents.</para>
/// </remarks>
public sealed class AgentOSAIAgent : AIAgent
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

    private readonly RemoteComponent _runner;
    private readonly AgentOSAIAgentOptions _options;

    internal AgentOSAIAgent(RemoteComponent runner, AgentOSAIAgentOptions? options)
    {
        _runner = runner;
        _options = options?.Clone() ?? new AgentOSAIAgentOptions();
    }

    /// <summary>The id of the remote agent, team or workflow.</summary>
    public string ComponentId => _runner.Id;

    /// <summary>The client of the server the component runs on.</summary>
    public AgentOSClient Client => _runner.Client;

    /// <inheritdoc />
    protected override string? IdCore => _options.Id ?? _runner.Id;

    /// <inheritdoc />
    public override string? Name => _options.Name ?? _runner.CachedDetails?.Name ?? _runner.Id;

    /// <inheritdoc />
    public override string? Description => _options.Description ?? _runner.CachedDetails?.Description;

    /// <summary>The author name of this agent's messages: <see cref="Name"/> with what chat APIs refuse in a <c>name</c> (spaces, punctuation) replaced by '_'.</summary>
    public string AuthorName => ChatNames.Sanitize(Name) ?? ChatNames.Sanitize(_runner.Id) ?? "agentos";

    /// <summary>Resumes an existing AgentOS session by id (no call is made: the server holds its history).</summary>
    /// <param name="sessionId">The session id.</param>
    /// <param name="userId">The user its runs are for; default: the agent's <see cref="AgentOSAIAgentOptions.UserId"/>.</param>
    /// <returns>The session.</returns>
    public AgentOSAgentSession OpenSession(string sessionId, string? userId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        return new AgentOSAgentSession(_runner.Kind, _runner.Id, sessionId, userId ?? _options.UserId, null, null);
    }

    /// <summary>Deletes the session on the server (with its history and runs). A session never run has nothing to delete.</summary>
    /// <param name="session">The session.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task.</returns>
    public async Task DeleteSessionAsync(AgentOSAgentSession session, CancellationToken cancellationToken = default)
    {
        var own = Own(session, nameof(session));
        if (own.SessionId is { } id)
        {
            await _runner.Client.DeleteSessionAsync(id, database: null, _options.RequestOptions, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(AIAgentMetadata))
            {
                return new AIAgentMetadata("agno");
            }

            if (serviceType.IsInstanceOfType(_runner))
            {
                return _runner;
            }

            if (serviceType.IsInstanceOfType(_runner.Client))
            {
                return _runner.Client;
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    protected override ValueTask<AgentSession> CreateSessionCoreAsync(CancellationToken cancellationToken = default)
        => new(new AgentOSAgentSession(_runner.Kind, _runner.Id, null, _options.UserId, null, null));

    /// <inheritdoc />
    protected override ValueTask<JsonElement> SerializeSessionCoreAsync(AgentSession session, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
        => new(Own(session, nameof(session)).Serialize());

    /// <inheritdoc />
    protected override ValueTask<AgentSession> DeserializeSessionCoreAsync(JsonElement serializedState, JsonSerializerOptions? jsonSerializerOptions = null, CancellationToken cancellationToken = default)
        => new(AgentOSAgentSession.Deserialize(serializedState, _runner.Kind, _runner.Id));

    /// <inheritdoc />
    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var plan = Prepare(messages, session, options);
        if (plan.Token is { } token)
        {
            return await PollAsync(token, plan.Session, cancellationToken).ConfigureAwait(false);
        }

        if (plan.Background && plan.Request is { } backgroundRequest)
        {
            var handle = await _runner.StartInBackgroundAsync(backgroundRequest, _options.RequestOptions, cancellationToken).ConfigureAwait(false);
            if (handle.RunId is not { Length: > 0 } runId || handle.SessionId is not { Length: > 0 } sessionId)
            {
                throw new AgentOSProtocolException("AgentOS accepted the background run without a run id and a session id to poll it with.");
            }

            plan.Session.SessionId ??= sessionId;
            plan.Session.LastRunId = runId;
            return new AgentResponse
            {
                AgentId = Id,
                ResponseId = runId,
                ContinuationToken = new AgnoContinuationToken(_runner.Kind, _runner.Id, runId, sessionId, null),
                RawRepresentation = handle,
            };
        }

        var accumulator = new RunStreamAccumulator(_runner.Scope);
        var updates = new List<AgentResponseUpdate>();
        await foreach (var update in StreamAsync(plan, accumulator, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        var response = updates.ToAgentResponse();
        response.AgentId = Id;
        response.RawRepresentation = accumulator.Result;
        return response;
    }

    /// <inheritdoc />
    protected override IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null, AgentRunOptions? options = null, CancellationToken cancellationToken = default)
        => StreamAsync(Prepare(messages, session, options), null, cancellationToken);

    /// <summary>What a run does: resume or poll a background run, continue a paused run, or start a run. Arguments are checked here, at the call.</summary>
    private RunPlan Prepare(IEnumerable<ChatMessage> messages, AgentSession? session, AgentRunOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var own = session is null
            ? new AgentOSAgentSession(_runner.Kind, _runner.Id, null, _options.UserId, null, null)
            : Own(session, nameof(session));
        string? userId = UserIdOf(options) ?? own.UserId ?? _options.UserId;
        if (options?.ContinuationToken is { } raw)
        {
            var token = AgnoContinuationToken.From(raw);
            if (token.Kind != _runner.Kind || token.ComponentId != _runner.Id)
            {
                throw new ArgumentException($"The continuation token belongs to {token.Kind.ToString().ToLowerInvariant()} '{token.ComponentId}', not to this agent's {ComponentKinds.Name(_runner.Kind)} '{_runner.Id}'.", nameof(options));
            }

            if (own.SessionId is { } current && current != token.SessionId)
            {
                throw new ArgumentException($"The continuation token belongs to session '{token.SessionId}', not to this session '{current}'.", nameof(options));
            }

            return new RunPlan(own, userId, null, null, token, Background: true);
        }

        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var answers = AgnoContentMapper.FindAnswers(list);
        if (answers is not null)
        {
            if (own.SessionId is { } sid && sid != answers.SessionId)
            {
                throw new ArgumentException($"The answers belong to a run of session '{answers.SessionId}', not of this session '{sid}'.", nameof(messages));
            }

            // Continuing a paused run always streams in the foreground.
            return new RunPlan(own, userId, answers, null, null, Background: false);
        }

        return new RunPlan(own, userId, null, RequestBuilder.Build(list, own.SessionId, userId), null, options?.AllowBackgroundResponses == true);
    }

    private async IAsyncEnumerable<AgentResponseUpdate> StreamAsync(RunPlan plan, RunStreamAccumulator? accumulator, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestOptions = _options.RequestOptions;
        var session = plan.Session;
        RunSpans.AdoptWrappingSpan(Activity.Current, Id, _runner);
        IAsyncEnumerable<AgentOSEvent> events;
        string? knownRunId = null;
        string? sessionId = session.SessionId;
        bool answerAlreadyStreamed = false;
        if (plan.Token is { } token)
        {
            // Resume a background run's stream after the last event the caller saw.
            events = _runner.ResumeStreamingAsync(token.RunId, token.SessionId, token.LastEventIndex, requestOptions, cancellationToken);
            knownRunId = token.RunId;
            sessionId = token.SessionId;
            answerAlreadyStreamed = token.LastEventIndex is not null && _runner.Kind != AgentOSComponentKind.Workflow;
        }
        else if (plan.Answers is { } answers)
        {
            var (runId, request) = await PrepareContinueAsync(answers, plan.UserId, requestOptions, cancellationToken).ConfigureAwait(false);
            events = _runner.ContinueStreamingAsync(runId, request, requestOptions, cancellationToken);
            knownRunId = runId;
            sessionId = request.SessionId;
        }
        else
        {
            events = plan.Background
                ? _runner.RunInBackgroundStreamingAsync(plan.Request!, requestOptions, cancellationToken)
                : _runner.RunStreamingAsync(plan.Request!, requestOptions, cancellationToken);
        }

        var mapper = new UpdateMapper(_runner, Id, AuthorName, knownRunId, sessionId, answerAlreadyStreamed);
        var completions = plan.Answers is { } answered ? new ApprovalCompletions(answered.Contents) : null;
        bool faulted = false;
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The finally block asks the server to cancel the run (not a background run: it is meant to go on).
                    throw;
                }
                catch
                {
                    faulted = true;
                    throw;
                }

                if (!more)
                {
                    break;
                }

                var e = enumerator.Current;
                accumulator?.Add(e);
                var update = mapper.Map(e);
                if (mapper.SessionId is { } known)
                {
                    session.SessionId ??= known;
                    session.LastRunId = mapper.RunId ?? session.LastRunId;
                    session.UserId ??= plan.UserId;
                }

                completions?.Observe(e, update);
                if (update is null)
                {
                    continue;
                }

                if (plan.Background && !mapper.IsFinished && mapper.RunId is { } rid && mapper.SessionId is { } sid)
                {
                    update.ContinuationToken = new AgnoContinuationToken(_runner.Kind, _runner.Id, rid, sid, mapper.LastEventIndex);
                }

                yield return update;
            }

            // Every answered approval ends with its completed call and result (MAF's workflow host requires them).
            if (completions?.Missing(mapper.RunId ?? knownRunId, Id, AuthorName) is { } completed)
            {
                yield return completed;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
            if (!plan.Background && !mapper.IsFinished && !faulted && mapper.RunId is { } runId)
            {
                // Cancelled, or abandoned before the end: closing the connection stops the run; the cancel call makes it certain.
                await CancelOnServerAsync(runId, mapper.SessionId, requestOptions).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Polls a background run: its token again while it runs, its answer once it has ended.</summary>
    private async Task<AgentResponse> PollAsync(AgnoContinuationToken token, AgentOSAgentSession session, CancellationToken cancellationToken)
    {
        var output = await _runner.GetRunAsync(token.RunId, token.SessionId, _options.RequestOptions, cancellationToken).ConfigureAwait(false);
        session.SessionId ??= token.SessionId;
        session.LastRunId = token.RunId;
        if (!output.Status.IsFinished)
        {
            return new AgentResponse
            {
                AgentId = Id,
                ResponseId = output.RunId ?? token.RunId,
                CreatedAt = output.CreatedAt,
                ContinuationToken = token,
                RawRepresentation = output,
            };
        }

        if (output.Status.IsError)
        {
            throw AgentOSRunFailedException.FromOutput(output, "GET", runId: token.RunId, sessionId: token.SessionId);
        }

        return OutputMapper.ToResponse(output, _runner.Kind, Id, AuthorName);
    }

    private async Task<(string RunId, ContinueRunRequest Request)> PrepareContinueAsync(AgnoPauseAnswers answers, string? userId, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        // The server holds the paused run: reading it back makes the answers work from any process, on a private copy.
        var stored = await _runner.GetRunAsync(answers.RunId, answers.SessionId, requestOptions, cancellationToken).ConfigureAwait(false);
        if (!stored.Status.IsPaused)
        {
            throw new InvalidOperationException($"The {ComponentKinds.Name(_runner.Kind)} run '{answers.RunId}' is not paused (status {stored.Status}): it was continued or cancelled already.");
        }

        return (answers.RunId, answers.CreateContinueRequest(_runner.Kind, stored, userId));
    }

    private async Task CancelOnServerAsync(string runId, string? sessionId, AgentOSRequestOptions? requestOptions)
    {
        var cancelOptions = new AgentOSRequestOptions { ApiKey = requestOptions?.ApiKey, Timeout = CancelTimeout };
        if (requestOptions is not null)
        {
            foreach (var (name, value) in requestOptions.Headers)
            {
                cancelOptions.Headers[name] = value;
            }
        }

        try
        {
            // The caller's token is already cancelled: this best-effort call has its own short timeout.
            await _runner.CancelAsync(runId, sessionId, cancelOptions, CancellationToken.None).ConfigureAwait(false);
        }
        catch (AgentOSException)
        {
            // Best effort: the closed connection already stops a run that is not a background run.
        }
        catch (OperationCanceledException)
        {
            // As above.
        }
    }

    private AgentOSAgentSession Own(AgentSession session, string paramName)
    {
        ArgumentNullException.ThrowIfNull(session, paramName);
        if (session is not AgentOSAgentSession own)
        {
            throw new ArgumentException($"The session is a {session.GetType().Name}, not an AgentOSAgentSession: create sessions with this agent's CreateSessionAsync or OpenSession.", paramName);
        }

        if (own.Kind != _runner.Kind || own.ComponentId != _runner.Id)
        {
            throw new ArgumentException($"The session belongs to {own.Kind.ToString().ToLowerInvariant()} '{own.ComponentId}', not to this agent's {ComponentKinds.Name(_runner.Kind)} '{_runner.Id}'.", paramName);
        }

        return own;
    }

    private sealed record RunPlan(AgentOSAgentSession Session, string? UserId, AgnoPauseAnswers? Answers, RunRequest? Request, AgnoContinuationToken? Token, bool Background);

    private static string? UserIdOf(AgentRunOptions? options)
    {
        if (options?.AdditionalProperties is { } props && props.TryGetValue(AgentOSPropertyNames.UserId, out var value) && value is not null)
        {
            return value as string ?? throw new ArgumentException($"AgentRunOptions.AdditionalProperties[\"{AgentOSPropertyNames.UserId}\"] must be a string.", nameof(options));
        }

        return null;
    }
}
