using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Agno.AgentOS.Internal;

// The retries of idempotent calls. Everything that names Polly or Microsoft.Extensions.Http.Resilience is here, behind
// SendRetriedAsync, so those assemblies are loaded (and their code compiled) on the first call that may be retried, not
// when a client is created or its first call is a run.
internal sealed partial class AgentOSPipeline
{
    /// <summary>Sends an idempotent call through the retry pipeline, created on first use.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private ValueTask<HttpResponseMessage> SendRetriedAsync(Attempt state, CancellationToken cancellationToken)
    {
        var retry = _retry ?? Interlocked.CompareExchange(ref _retry, new IdempotentRetry(CreateRetry(_retryOptions!, Time, _logger)), null) ?? _retry;
        return retry.Pipeline.ExecuteAsync(static (a, ct) => a.Self.SendTrackedAsync(a, ct), state, cancellationToken);
    }

    /// <summary>The retry pipeline (a class of its own so the pipeline's field does not name Polly's types).</summary>
    private sealed class IdempotentRetry(ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        public ResiliencePipeline<HttpResponseMessage> Pipeline { get; } = pipeline;
    }

    /// <summary>The retry pipeline of idempotent calls, or null when retries are off.</summary>
    private static ResiliencePipeline<HttpResponseMessage> CreateRetry(AgentOSRetryOptions retry, TimeProvider time, ILogger logger)
    {
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = retry.MaxRetryAttempts,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = retry.UseJitter,
                ShouldRetryAfterHeader = true,
                ShouldHandle = static async args => IsTransient(args.Outcome) && !await IsFeatureUnavailableAsync(args.Outcome, args.Context.CancellationToken).ConfigureAwait(false),
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage;
                    string what = args.Outcome.Exception is { } ex ? ex.GetType().Name + ": " + ex.Message : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    LogRetry(logger, request?.Method.Method ?? "GET", request?.RequestUri?.AbsolutePath ?? string.Empty, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, what);
                    System.Diagnostics.Activity.Current?.AddEvent(new System.Diagnostics.ActivityEvent("agno.retry", tags: new System.Diagnostics.ActivityTagsCollection
                    {
                        ["agno.retry.attempt"] = args.AttemptNumber + 1,
                        ["agno.retry.delay_ms"] = args.RetryDelay.TotalMilliseconds,
                        ["agno.retry.reason"] = what,
                    }));
                    return default;
                },
            })
            .Build();
    }

    /// <summary>A failure worth another attempt: no connection, or 408, 429, 502, 503, 504.</summary>
    private static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException e } => !IsInvalidAnswer(e),
        { Exception: null, Result: { } r } => (int)r.StatusCode is 408 or 429 or 502 or 503 or 504,
        _ => false,
    };

    /// <summary>
    /// For the retry strategy: a 503 that names a feature the server has not enabled is permanent (configuring the server
    /// is the fix), so it is not retried. The error body is small: it is buffered (bounded) so it can still be read for
    /// the exception.
    /// </summary>
    private static async ValueTask<bool> IsFeatureUnavailableAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome is not { Exception: null, Result: { StatusCode: HttpStatusCode.ServiceUnavailable } response } || response.Headers.RetryAfter is not null)
        {
            return false;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return UnavailableFeature(ParseDetail(body).Detail) is not null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException)
        {
            return false;
        }
    }
}
