using System.Runtime.CompilerServices;
using Agno.AgentOS;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agno.Extensions.AI.Internal;

/// <summary>
/// An <see cref="IChatClient"/> over a remote AgentOS agent, team or workflow. It only translates: runs, streams,
/// continues, polls and cancels go through the remote handle of the core client, whose exceptions pass through.
/// </summary>
internal sealed class AgnoChatClient : IChatClient
{
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(10);

    private readonly RemoteComponent _runner;
    private readonly AgnoChatClientOptions _options;
    private readonly PausedRunCache _paused = new(256);
    private readonly ILogger _logger;
    private string? _observedModelId;

    public AgnoChatClient(RemoteComponent runner, AgnoChatClientOptions? options)
    {
        _runner = runner;
        _options = options?.Clone() ?? new AgnoChatClientOptions();
        _logger = (ILogger?)_options.LoggerFactory?.CreateLogger("Agno.Extensions.AI.AgnoChatClient") ?? NullLogger.Instance;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = RequestBuilder.AsList(messages);
        var requestOptions = RequestBuilder.RequestOptions(options, _options);
        if (options?.ContinuationToken is { } token)
        {
            return await PollAsync(Token(token), requestOptions, cancellationToken).ConfigureAwait(false);
        }

        int tail = RequestBuilder.TailStart(list);
        if (HumanInTheLoop.FindAnswers(list, tail) is { } answers)
        {
            var (runId, request) = await PrepareContinueAsync(answers, options, requestOptions, cancellationToken).ConfigureAwait(false);
            RunOutput continued;
            try
            {
                continued = await _runner.ContinueAsync(runId, request, requestOptions, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await CancelOnServerAsync(runId, request.SessionId, requestOptions).ConfigureAwait(false);
                throw;
            }

            _paused.Remove(runId);
            return Map(continued);
        }

        var run = RequestBuilder.Build(this, list, tail, options, _options);
        if (options?.AllowBackgroundResponses == true)
        {
            var handle = await _runner.StartInBackgroundAsync(run, requestOptions, cancellationToken).ConfigureAwait(false);
            return Background(handle);
        }

        // The run id is not known before the answer: cancelling closes the connection, which stops the run on the server.
        var output = await _runner.RunAsync(run, requestOptions, cancellationToken).ConfigureAwait(false);
        return Map(output);
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        // Arguments are checked here, at the call, not at the first MoveNextAsync.
        ArgumentNullException.ThrowIfNull(messages);
        var list = RequestBuilder.AsList(messages);
        var requestOptions = RequestBuilder.RequestOptions(options, _options);
        if (options?.ContinuationToken is { } token)
        {
            return StreamAsync(null, null, Token(token), options, requestOptions, cancellationToken);
        }

        int tail = RequestBuilder.TailStart(list);
        if (HumanInTheLoop.FindAnswers(list, tail) is { } answers)
        {
            return StreamAsync(null, answers, null, options, requestOptions, cancellationToken);
        }

        var run = RequestBuilder.Build(this, list, tail, options, _options);
        return StreamAsync(run, null, null, options, requestOptions, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return new ChatClientMetadata("agno", _runner.Client.BaseAddress, _runner.CachedModelId ?? Volatile.Read(ref _observedModelId));
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        if (serviceType.IsInstanceOfType(_runner))
        {
            return _runner;
        }

        return serviceType.IsInstanceOfType(_runner.Client) ? _runner.Client : null;
    }

    public void Dispose()
    {
        // The client and its handle belong to the caller.
    }

    private async IAsyncEnumerable<ChatResponseUpdate> StreamAsync(
        RunRequest? run,
        List<HitlAnswer>? answers,
        AgnoContinuationToken? token,
        ChatOptions? options,
        AgentOSRequestOptions? requestOptions,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        IAsyncEnumerable<AgentOSEvent> events;
        string? knownRunId = null;
        string? sessionId;
        bool background = false;
        bool cancelOnServer = true;
        bool answerAlreadyStreamed = false;
        if (token is not null)
        {
            // Resume a background run's stream after the last event the caller saw.
            events = _runner.ResumeStreamingAsync(token.RunId, token.SessionId, token.LastEventIndex, requestOptions, cancellationToken);
            knownRunId = token.RunId;
            sessionId = token.SessionId;
            background = true;
            cancelOnServer = false;
            answerAlreadyStreamed = token.LastEventIndex is not null && _runner.Kind != AgentOSComponentKind.Workflow;
        }
        else if (answers is not null)
        {
            var (runId, request) = await PrepareContinueAsync(answers, options, requestOptions, cancellationToken).ConfigureAwait(false);
            events = _runner.ContinueStreamingAsync(runId, request, requestOptions, cancellationToken);
            knownRunId = runId;
            sessionId = request.SessionId;
        }
        else
        {
            background = options?.AllowBackgroundResponses == true;
            cancelOnServer = !background;
            sessionId = run!.SessionId;
            events = background
                ? _runner.RunInBackgroundStreamingAsync(run, requestOptions, cancellationToken)
                : _runner.RunStreamingAsync(run, requestOptions, cancellationToken);
        }

        var mapper = new AgnoStreamingMapper(_runner.Kind, _runner.Scope, knownRunId, sessionId, _options.IncludeActivityUpdates, answerAlreadyStreamed);
        PausedRun? remembered = null;
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
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && cancelOnServer && mapper.RunId is { } runId)
                {
                    await CancelOnServerAsync(runId, mapper.SessionId, requestOptions).ConfigureAwait(false);
                    throw;
                }

                if (!more)
                {
                    break;
                }

                var update = mapper.Map(enumerator.Current);
                if (mapper.Paused is { } paused && !ReferenceEquals(paused, remembered))
                {
                    _paused.Set(paused);
                    remembered = paused;
                }

                if (update is null)
                {
                    continue;
                }

                if (background && !mapper.IsFinished && mapper.RunId is { } rid && mapper.SessionId is { } sid)
                {
                    update.ContinuationToken = new AgnoContinuationToken(_runner.Kind, _runner.Id, rid, sid, mapper.LastEventIndex);
                }

                yield return update;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }

        if (knownRunId is not null && token is null && remembered is null)
        {
            // The continued run did not pause again (a new pause replaced the entry when it was seen).
            _paused.Remove(knownRunId);
        }

        if (mapper.ModelId is { } model)
        {
            Volatile.Write(ref _observedModelId, model);
        }
    }

    private async Task<ChatResponse> PollAsync(AgnoContinuationToken token, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var output = await _runner.GetRunAsync(token.RunId, token.SessionId, requestOptions, cancellationToken).ConfigureAwait(false);
        if (!output.Status.IsFinished)
        {
            return new ChatResponse
            {
                ResponseId = output.RunId ?? token.RunId,
                ConversationId = output.SessionId ?? token.SessionId,
                ModelId = output.Model,
                CreatedAt = output.CreatedAt,
                ContinuationToken = token,
                RawRepresentation = output,
            };
        }

        if (output.Status.IsError)
        {
            // As for a run that fails while the caller waits (the core's non-streaming runs).
            throw AgentOSRunFailedException.FromOutput(output, "GET", runId: token.RunId, sessionId: token.SessionId);
        }

        return Map(output);
    }

    private ChatResponse Background(BackgroundRunHandle handle)
    {
        if (handle.RunId is not { Length: > 0 } runId || handle.SessionId is not { Length: > 0 } sessionId)
        {
            throw new AgentOSProtocolException("AgentOS accepted the background run without a run id and a session id to poll it with.");
        }

        return new ChatResponse
        {
            ResponseId = runId,
            ConversationId = sessionId,
            ContinuationToken = new AgnoContinuationToken(_runner.Kind, _runner.Id, runId, sessionId, null),
            RawRepresentation = handle,
        };
    }

    private ChatResponse Map(RunOutput output)
    {
        var response = ResponseMapper.ToChatResponse(output, _runner.Kind, out var paused);
        if (paused is not null)
        {
            _paused.Set(paused);
        }

        if (output.Model is { } model)
        {
            Volatile.Write(ref _observedModelId, model);
        }

        return response;
    }

    private async Task<(string RunId, ContinueRunRequest Request)> PrepareContinueAsync(List<HitlAnswer> answers, ChatOptions? options, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var first = answers[0];

        // A copy: the answers never change the cached run nor the objects the caller got as RawRepresentation.
        var paused = _paused.Get(first.RunId);
        if (paused is null || paused.SessionId != first.SessionId)
        {
            // Not answered through this instance (another process, a restart, a serialized history): the server has it.
            Log.FetchingPausedRun(_logger, _runner.KindName, first.RunId);
            var stored = await _runner.GetRunAsync(first.RunId, first.SessionId, requestOptions, cancellationToken).ConfigureAwait(false);
            paused = PausedRun.From(_runner.Kind, stored) ?? new PausedRun(first.RunId, first.SessionId);
        }

        HumanInTheLoop.Apply(paused, answers);
        var request = new ContinueRunRequest(paused.SessionId)
        {
            Tools = paused.Tools,
            Requirements = paused.Requirements,
            StepRequirements = paused.StepRequirements,
            UserId = RequestBuilder.UserId(options, _options),
        };
        return (paused.RunId, request);
    }

    private async Task CancelOnServerAsync(string runId, string? sessionId, AgentOSRequestOptions? requestOptions)
    {
        Log.CancellingRun(_logger, _runner.KindName, runId);
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
        catch (AgentOSException ex)
        {
            Log.CancelFailed(_logger, _runner.KindName, runId, ex);
        }
        catch (OperationCanceledException ex)
        {
            Log.CancelFailed(_logger, _runner.KindName, runId, ex);
        }
    }

    private AgnoContinuationToken Token(ResponseContinuationToken token)
    {
        var t = AgnoContinuationToken.From(token);
        if (t.Kind != _runner.Kind || t.ComponentId != _runner.Id)
        {
            throw new ArgumentException($"ChatOptions.ContinuationToken belongs to {t.Kind} '{t.ComponentId}', not to this client's {_runner.KindName} '{_runner.Id}'.");
        }

        return t;
    }
}
