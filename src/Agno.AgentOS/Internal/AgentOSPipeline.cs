using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal.AgnoGo;
using Microsoft.Extensions.Logging;

namespace Agno.AgentOS.Internal;

/// <summary>
/// Sends requests to an AgentOS server: builds the URL, adds the token, applies the timeout, and maps
/// failures to the <see cref="AgentOSException"/> family. Shared by the client and its handles.
/// </summary>
internal sealed partial class AgentOSPipeline
{
    private const int MaxErrorBodyBytes = 64 * 1024;
    private const int ExcerptChars = 500;

    private const string AcceptJson = "application/json";

    // The one-byte read that confirms a body ends at its declared length: what it receives is never looked at (only
    // whether anything arrived), so every call shares it.
    private static readonly byte[] EndProbe = new byte[1];
    private const string AcceptSse = "text/event-stream";
    private static readonly ProductInfoHeaderValue LibraryProduct = new("Agno.AgentOS", typeof(AgentOSPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");

    private readonly HttpClient _http;

    // The client's own handler, called without the HttpClient around it (which would link one more token source per
    // request): only for the HttpClient the client creates itself, which has no default headers or timeout of its own.
    private readonly HttpMessageInvoker? _direct;
    private readonly AgentOSClientOptions _options;
    private readonly Uri _baseAddress;
    private readonly ILogger _logger;
    // Polly and Microsoft.Extensions.Http.Resilience are loaded on the first idempotent call, not by the first run
    // (AgentOSPipeline.Retry.cs): a process whose first call is a run does not pay for them.
    private readonly AgentOSRetryOptions? _retryOptions;
    private IdempotentRetry? _retry;

    // The request URIs of the last few paths: a Uri is immutable and caches what it parses, and the same few paths
    // (a component's runs) are requested over and over.
    private readonly CachedUri?[] _uris = new CachedUri?[4];

    // The User-Agent value, formatted once: the library's product, then the configured one (if it parses as a product).
    private readonly string _userAgent;

    public AgentOSPipeline(HttpClient http, AgentOSClientOptions options, ILogger logger, TimeProvider time, bool tracksConnections = false, HttpMessageInvoker? direct = null)
    {
        _direct = direct;
        _tracksConnections = tracksConnections;
        Time = time;
        _retryOptions = options.Retry is { Enabled: true, MaxRetryAttempts: > 0 } r ? r : null;
        _http = http;
        _options = options;
        _logger = logger;
        var b = options.BaseAddress!;
        _baseAddress = b.AbsoluteUri.EndsWith('/') ? b : new Uri(b.AbsoluteUri + "/");
        _userAgent = options.UserAgent is { Length: > 0 } ua && ProductInfoHeaderValue.TryParse(ua, out var product)
            ? $"{LibraryProduct} {product}"
            : LibraryProduct.ToString();
        Dialect = new DialectState(this, options);
        AgnoGo = new AgnoGoOperations(this);
    }

    /// <summary>The server's dialect (fixed or detected) and the guard of agno-go servers (AgnoGo/DialectState.cs).</summary>
    public DialectState Dialect { get; }

    /// <summary>The operations of the agno-go dialect.</summary>
    public AgnoGoOperations AgnoGo { get; }

    public Uri BaseAddress => _baseAddress;

    public AgentOSClientOptions Options => _options;

    public ILogger Logger => _logger;

    public TimeProvider Time { get; }

    public Task<T> SendJsonAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
        => SendJsonCoreAsync(method, path, content, typeInfo, requestOptions, cancellationToken).AsTask();

    /// <summary><see cref="SendJsonAsync"/> for a caller that awaits it at once (a run): its state machine is pooled.</summary>
    public ValueTask<T> SendJsonCoreAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
        => SendJsonCoreAsync(method, path, content, typeInfo, null, requestOptions, cancellationToken);

    /// <summary>
    /// <see cref="SendJsonCoreAsync{T}(HttpMethod, string, HttpContent?, JsonTypeInfo{T}, AgentOSRequestOptions?, CancellationToken)"/>
    /// for an answer with a hand reader (a run's output): the serializer's contract is resolved only if the hand reader gives up.
    /// </summary>
    public ValueTask<T> SendJsonCoreAsync<T>(HttpMethod method, string path, HttpContent? content, JsonAnswer<T> answer, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
        => SendJsonCoreAsync(method, path, content, null, answer, requestOptions, cancellationToken);

    /// <summary>Sends a request and decodes its JSON answer through <paramref name="typeInfo"/> or, when it is null, <paramref name="answer"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> SendJsonCoreAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T>? typeInfo, JsonAnswer<T>? answer, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var timer = StartTimer(requestOptions, cancellationToken);
        var token = timer?.Token ?? cancellationToken;
        try
        {
            using var response = await SendCoreAsync(method, path, content, streaming: false, requestOptions, null, token).ConfigureAwait(false);
            return await ReadJsonAsync(response, method, path, typeInfo, answer, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timer is not null && timer.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
        finally
        {
            timer?.Return();
        }
    }

    public async Task SendNoContentAsync(HttpMethod method, string path, HttpContent? content, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var timer = StartTimer(requestOptions, cancellationToken);
        var token = timer?.Token ?? cancellationToken;
        try
        {
            using var response = await SendCoreAsync(method, path, content, streaming: false, requestOptions, null, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timer is not null && timer.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
        finally
        {
            timer?.Return();
        }
    }

    /// <summary>Sends a request whose answer is read as JSON or as a stream depending on its content type.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpResponseMessage> SendForResponseAsync(HttpMethod method, string path, HttpContent? content, bool streaming, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var timer = StartTimer(requestOptions, cancellationToken);
        var token = timer?.Token ?? cancellationToken;
        try
        {
            return await SendCoreAsync(method, path, content, streaming, requestOptions, null, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timer is not null && timer.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
        finally
        {
            timer?.Return();
        }
    }

    /// <summary>
    /// Sends a stream request on the stream's own <paramref name="timer"/> (linked to the caller's token, returned by the
    /// stream's reader): the request timeout is its deadline phase until the headers; the reader then moves it to the
    /// idle timeout, so one token source and one timer serve the whole stream.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpResponseMessage> SendStreamAsync(HttpMethod method, string path, HttpContent? content, AgentOSRequestOptions? requestOptions, CallTimer timer, CancellationToken cancellationToken)
    {
        timer.StartDeadline(EffectiveTimeout(requestOptions));
        try
        {
            var response = await SendCoreAsync(method, path, content, streaming: true, requestOptions, timer, timer.Token).ConfigureAwait(false);
            response.RequestMessage = null; // sent: the request (its headers) is not kept for the stream's life
            return response;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timer.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
    }

    public ValueTask<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpMethod method, string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        => ReadJsonAsync(response, method, path, typeInfo, null, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpMethod method, string path, JsonTypeInfo<T>? typeInfo, JsonAnswer<T>? answer, CancellationToken cancellationToken)
    {
        if (!MediaTypeIs(response.Content.Headers, null, "json"))
        {
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            string excerpt = await ReadExcerptAsync(response, cancellationToken).ConfigureAwait(false);
            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} with content type '{mediaType}', not JSON. Body starts with: {excerpt}")
            {
                StatusCode = response.StatusCode,
                Method = method.Method,
                RequestPath = path,
                ResponseBodyExcerpt = excerpt,
            };
        }

        var body = await ReadBodyAsync(response, method, path, cancellationToken).ConfigureAwait(false);
        try
        {
            return Decode(body, response, method, path, typeInfo, answer);
        }
        finally
        {
            // every value decoded from the body is a copy (strings, JsonElement and JsonNode values): the buffer is free
            body.Release();
        }
    }

    private T Decode<T>(in BufferedBody body, HttpResponseMessage response, HttpMethod method, string path, JsonTypeInfo<T>? typeInfo, JsonAnswer<T>? answer)
    {
        var span = body.Span;
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(span))
            {
                throw new JsonException("The body is not valid UTF-8.");
            }

            using (SharedTexts.Enter(body.Array, body.Length))
            {
                // the usual shape by hand (RunOutputReader), anything else through the serializer as before
                return (typeInfo is null && answer!.Fast is { } fast ? fast(span) : default)
                    ?? JsonSerializer.Deserialize(span, typeInfo ?? answer!.TypeInfo)
                    ?? throw new JsonException("The body is the JSON value null.");
            }
        }
        catch (JsonException strict) when (!JsonFailure.IsValueError(strict))
        {
            // a field of an unexpected shape: decode the rest (AgentOSPipeline.Tolerant.cs)
            var (recovered, error) = RecoverBody(span, method, path, typeInfo ?? answer!.TypeInfo, strict);
            if (error is null)
            {
                return recovered!;
            }

            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} with malformed JSON: {error.Message}", error)
            {
                StatusCode = response.StatusCode,
                Method = method.Method,
                RequestPath = path,
                ResponseBodyExcerpt = Excerpt(span),
            };
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} with malformed JSON: {ex.Message}", ex)
            {
                StatusCode = response.StatusCode,
                Method = method.Method,
                RequestPath = path,
                ResponseBodyExcerpt = Excerpt(span),
            };
        }
    }

    /// <summary>
    /// A non-streaming answer's body, read into a pooled array (<see cref="Release"/> gives it back once the answer is
    /// decoded); beyond <see cref="PooledBodyLimit"/> an array of its own, not zeroed first, which the pool would
    /// otherwise keep.
    /// </summary>
    internal readonly struct BufferedBody(byte[] array, int length, bool pooled)
    {
        public byte[] Array { get; } = array;

        public int Length { get; } = length;

        public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

        public void Release()
        {
            if (pooled)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(Array);
            }
        }
    }

    /// <summary>The largest body read into a pooled array.</summary>
    internal const int PooledBodyLimit = 16 * 1024 * 1024;

    private static byte[] Acquire(int size, out bool pooled)
    {
        pooled = size <= PooledBodyLimit;
        return pooled ? System.Buffers.ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
    }

    /// <summary>
    /// Reads a non-streaming answer's body, at most <see cref="AgentOSClientOptions.MaxResponseBodySize"/> bytes; a
    /// larger declared or received body is refused without being buffered. A declared length is read exactly (a body
    /// that ends before it, or goes on after it, is refused); a body without one (chunked, decompressed) is read into a
    /// buffer that doubles. A body the connection breaks in the middle of, or whose framing is invalid, is a protocol
    /// error: the server did answer.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<BufferedBody> ReadBodyAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        long limit = _options.MaxResponseBodySize;
        long? declared = response.Content.Headers.ContentLength;
        if (declared > limit)
        {
            throw TooLarge(response, method, path, $"declares a body of {declared} bytes");
        }

        byte[]? buffer = null;
        bool pooled = false;
        try
        {
            var stream = await OpenBodyAsync(response.Content, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int total = 0;
                if (declared is { } length)
                {
                    int size = (int)length;
                    buffer = Acquire(Math.Max(size, 1), out pooled);
                    while (total < size)
                    {
                        int read = await stream.ReadAsync(buffer.AsMemory(total, size - total), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} but the body ended after {total} of its {size} declared bytes (Content-Length)") { StatusCode = response.StatusCode, Method = method.Method, RequestPath = path };
                        }

                        total += read;
                    }

                    // the declared length is read: one more read only confirms the end
                    if (await stream.ReadAsync(EndProbe, cancellationToken).ConfigureAwait(false) != 0)
                    {
                        throw new AgentOSProtocolException($"{method} {path}: the body is longer than its Content-Length") { StatusCode = response.StatusCode, Method = method.Method, RequestPath = path };
                    }
                }
                else
                {
                    buffer = Acquire(16 * 1024, out pooled);
                    while (true)
                    {
                        if (total == buffer.Length)
                        {
                            if (total >= limit)
                            {
                                throw TooLarge(response, method, path, "sent a body");
                            }

                            var larger = Acquire((int)Math.Min(Math.Min((long)buffer.Length * 2, limit + 1), Array.MaxLength), out bool largerPooled);
                            buffer.AsSpan(0, total).CopyTo(larger);
                            Release(buffer, pooled);
                            (buffer, pooled) = (larger, largerPooled);
                        }

                        int read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        total += read;
                        if (total > limit)
                        {
                            throw TooLarge(response, method, path, "sent a body");
                        }
                    }
                }

                var body = new BufferedBody(buffer, total, pooled);
                buffer = null; // the caller's now
                return body;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException)
        {
            // a reset or a close in the middle of the body, broken chunked framing, a corrupt compressed body
            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} but the body could not be read: {ex.Message}", ex)
            {
                StatusCode = response.StatusCode,
                Method = method.Method,
                RequestPath = path,
            };
        }
        finally
        {
            if (buffer is not null)
            {
                Release(buffer, pooled);
            }
        }

        static void Release(byte[] array, bool pooled)
        {
            if (pooled)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(array);
            }
        }
    }

    /// <summary>
    /// The body's stream. The contents of System.Net.Http itself (a connection's answer, a decompressed one, a stream or
    /// bytes) already hold their stream, so it is taken synchronously (no task per call); any other content is asked
    /// asynchronously, since its synchronous read may block.
    /// </summary>
    /// <summary>
    /// Whether the answer's media type is <paramref name="exactly"/> (when given) or contains <paramref name="containing"/>,
    /// as <see cref="HttpContentHeaders.ContentType"/> would say, without parsing the header into objects for the common
    /// forms (a bare media type, or with <c>charset=utf-8</c>). No media type (no header, or one that does not parse)
    /// passes the containing check (such an answer is read as JSON) and fails the exact one.
    /// </summary>
    internal static bool MediaTypeIs(System.Net.Http.Headers.HttpContentHeaders headers, string? exactly, string? containing)
    {
        if (!headers.NonValidated.TryGetValues("Content-Type", out var values))
        {
            return exactly is null;
        }

        if (values.Count == 1)
        {
            // the common forms: a bare media type, or one with charset=utf-8
            string raw = values.ToString();
            int semicolon = raw.IndexOf(';', StringComparison.Ordinal);
            var media = (semicolon < 0 ? raw.AsSpan() : raw.AsSpan(0, semicolon)).Trim();
            int slash = media.IndexOf('/');
            if (slash > 0 && slash < media.Length - 1 && media.IndexOfAny(" \t,\"") < 0
                && (semicolon < 0 || raw.AsSpan(semicolon + 1).Trim().Equals("charset=utf-8", StringComparison.OrdinalIgnoreCase)))
            {
                return exactly is null ? media.Contains(containing, StringComparison.OrdinalIgnoreCase) : media.Equals(exactly, StringComparison.OrdinalIgnoreCase);
            }
        }

        // anything else: the header's own parser decides (an unparsable header has no media type)
        string? parsed = headers.ContentType?.MediaType;
        return exactly is null
            ? parsed is null || parsed.Contains(containing!, StringComparison.OrdinalIgnoreCase)
            : string.Equals(parsed, exactly, StringComparison.OrdinalIgnoreCase);
    }

    internal static ValueTask<Stream> OpenBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.GetType().Assembly == typeof(HttpContent).Assembly)
        {
#pragma warning disable VSTHRD103 // these contents hand over the stream they hold: nothing blocks
            return new ValueTask<Stream>(content.ReadAsStream(cancellationToken));
#pragma warning restore VSTHRD103
        }

        return new ValueTask<Stream>(content.ReadAsStreamAsync(cancellationToken));
    }

    private AgentOSProtocolException TooLarge(HttpResponseMessage response, HttpMethod method, string path, string what)
        => new($"{method} {path} {what} larger than AgentOSClientOptions.MaxResponseBodySize ({_options.MaxResponseBodySize} bytes).")
        {
            StatusCode = response.StatusCode,
            Method = method.Method,
            RequestPath = path,
        };

    /// <summary>
    /// The start of a stream request's answer that is not an event stream (an HTML error page of a proxy, say), for the
    /// error message: at most 4 KB, and no longer than the stream idle timeout, since such a body may never end.
    /// </summary>
    public async Task<string> ReadUnexpectedBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var idle = _options.StreamIdleTimeout == System.Threading.Timeout.InfiniteTimeSpan
            ? null
            : new LinkedTimeout(_options.StreamIdleTimeout, Time, cancellationToken);
        string body = await ReadBoundedAsync(response, 4096, idle?.Token ?? cancellationToken, stopOnCancel: true).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return body.Length > ExcerptChars ? body[..ExcerptChars] + "…" : body;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, bool streaming, AgentOSRequestOptions? requestOptions, CallTimer? stream, CancellationToken cancellationToken)
    {
        await Dialect.CheckAsync(method, path, cancellationToken).ConfigureAwait(false);
        var uri = UriFor(path);

        // A per-call token wins; else the token provider (asked on every call, again with ForceRefresh after a 401,
        // and the call sent once more: a 401 means the server did nothing); else the configured key.
        var provider = requestOptions?.ApiKey is null ? _options.TokenProvider : null;
        string? token = provider is null ? requestOptions?.ApiKey ?? _options.ApiKey : await GetProviderTokenAsync(provider, forceRefresh: false, method, path, cancellationToken).ConfigureAwait(false);
        for (bool refreshed = false; ; refreshed = true)
        {
            var response = await SendWithTokenAsync(method, uri, path, content, streaming, requestOptions, token, returnUnauthorized: provider is not null && !refreshed, stream, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized && provider is not null && !refreshed)
            {
                response.Dispose();
                LogTokenRefresh(_logger, method.Method, path);
                token = await GetProviderTokenAsync(provider, forceRefresh: true, method, path, cancellationToken).ConfigureAwait(false);
                continue;
            }

            return response;
        }
    }

    internal async Task<string?> GetProviderTokenAsync(AgentOSTokenProvider provider, bool forceRefresh, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.GetTokenAsync(new AgentOSTokenRequest(_baseAddress, forceRefresh), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new AgentOSAuthenticationException($"The AgentOSTokenProvider ({provider.GetType().Name}) failed to supply a token for {method} {path}: {ex.Message}", ex)
            {
                Method = method.Method,
                RequestPath = path,
            };
        }
    }

    /// <summary>Sends with this token; a success answer is returned (a 401 too with <paramref name="returnUnauthorized"/>, for a refresh), any other error thrown.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> SendWithTokenAsync(HttpMethod method, Uri uri, string path, HttpContent? content, bool streaming, AgentOSRequestOptions? requestOptions, string? token, bool returnUnauthorized, CallTimer? stream, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(token))
        {
            EnsureTokenMayBeSent(uri);
        }

        Attempt? state = null;
        RequestAttempt? last = null;
        HttpResponseMessage response;
        try
        {
            // Idempotent calls (reads, and a resume, which only replays the run's buffer) are retried where safe;
            // runs and continues never are (only sent again where provably none of their bytes left, as SendTrackedAsync).
            if (_retryOptions is not null && (method == HttpMethod.Get || path.EndsWith("/resume", StringComparison.Ordinal)))
            {
                state = new Attempt(this, method, uri, path, content, streaming, requestOptions, token);
                response = await SendRetriedAsync(state, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // SendTrackedAsync's loop, without its state object
                for (int resent = 0; ; resent++)
                {
                    var request = CreateRequest(method, uri, content, streaming, requestOptions, token);
                    var attempt = new RequestAttempt { Tracked = _tracksConnections };
                    last = attempt;
                    RequestAttempt.Current = attempt;
                    if (_logger.IsEnabled(LogLevel.Debug))
                    {
                        LogSending(_logger, method.Method, path); // not compiled (nor its logging assembly loaded) while nobody logs
                    }
                    try
                    {
                        response = await SendOnce(request, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (HttpRequestException ex) when (resent == 0 && NeverSent(attempt))
                    {
                        LogResent(_logger, method.Method, path, ex.HttpRequestError.ToString());
                    }
                    finally
                    {
                        RequestAttempt.Current = null;
                        request.Content = null;
                        request.Dispose();
                    }
                }
            }
        }
        catch (HttpRequestException ex) when (IsInvalidAnswer(ex))
        {
            LogUnavailable(_logger, method.Method, path, ex.HttpRequestError.ToString());
            throw new AgentOSProtocolException($"The AgentOS server at {_baseAddress} answered {method} {path} with something that is not valid HTTP ({ex.HttpRequestError}): {ex.Message}", ex)
            {
                Method = method.Method,
                RequestPath = path,
            };
        }
        catch (HttpRequestException ex)
        {
            LogUnavailable(_logger, method.Method, path, ex.HttpRequestError.ToString());
            throw new AgentOSServerUnavailableException($"The AgentOS server at {_baseAddress} cannot be reached ({method} {path}): {ex.Message}{((state?.Last ?? last) is { } sent ? MaySendAgainNote(method, sent) : string.Empty)}", ex)
            {
                Method = method.Method,
                RequestPath = path,
                BaseAddress = _baseAddress,
                StatusCode = ex.StatusCode,
            };
        }

        if (response.IsSuccessStatusCode || (returnUnauthorized && response.StatusCode == HttpStatusCode.Unauthorized))
        {
            if (stream is not null)
            {
                // a stream on the client's own handler: the connection its answer is read from (see CallTimer.Connection)
                stream.Connection = (state?.Last ?? last)?.Connection;
            }

            return response;
        }

        using (response)
        {
            var error = await CreateErrorAsync(response, method, path, cancellationToken).ConfigureAwait(false);
            if ((state?.Last ?? last) is { } attempt)
            {
                RetireAfterError(response, attempt);
            }

            throw error;
        }
    }

    /// <summary>What one call sends, and the last attempt at it (whose connection is retired after an error answer).</summary>
    private sealed class Attempt(AgentOSPipeline self, HttpMethod method, Uri uri, string path, HttpContent? content, bool streaming, AgentOSRequestOptions? options, string? token)
    {
        public string? Token { get; } = token;

        public AgentOSPipeline Self { get; } = self;

        public HttpMethod Method { get; } = method;

        public Uri Uri { get; } = uri;

        public string Path { get; } = path;

        public HttpContent? Content { get; } = content;

        public bool Streaming { get; } = streaming;

        public AgentOSRequestOptions? Options { get; } = options;

        public RequestAttempt? Last { get; set; }
    }

    /// <summary>
    /// One attempt: a new request message each time (a message is sent once; the content is the caller's and survives
    /// it), sent again once only where provably none of its bytes reached a socket (AgentOSPipeline.Connections.cs).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<HttpResponseMessage> SendTrackedAsync(Attempt state, CancellationToken cancellationToken)
    {
        for (int resent = 0; ; resent++)
        {
            var request = CreateRequest(state.Method, state.Uri, state.Content, state.Streaming, state.Options, state.Token);
            var attempt = new RequestAttempt { Tracked = _tracksConnections };
            state.Last = attempt;
            RequestAttempt.Current = attempt;
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogSending(_logger, state.Method.Method, state.Path);
            }
            try
            {
                // Headers first, for every call: the body is then read within AgentOSClientOptions.MaxResponseBodySize.
                return await SendOnce(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (resent == 0 && NeverSent(attempt))
            {
                LogResent(_logger, state.Method.Method, state.Path, ex.HttpRequestError.ToString());
            }
            finally
            {
                RequestAttempt.Current = null;
                request.Content = null;
                request.Dispose();
            }
        }
    }

    /// <summary>Sends one request message; headers first, for every call: the body is then read within AgentOSClientOptions.MaxResponseBodySize.</summary>
    private Task<HttpResponseMessage> SendOnce(HttpRequestMessage request, CancellationToken cancellationToken)
        => _direct is not null
            ? _direct.SendAsync(request, cancellationToken)
            : _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>The server answered, but not with valid HTTP: a bad status line, oversized headers, broken framing.</summary>
    private static bool IsInvalidAnswer(HttpRequestException ex)
        => ex.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.HttpProtocolError;

    private Uri UriFor(string path)
    {
        ref var slot = ref _uris[(path.Length + (path.Length > 0 ? path[^1] : 0)) & (_uris.Length - 1)];
        var cached = Volatile.Read(ref slot);
        if (cached is not null && string.Equals(cached.Path, path, StringComparison.Ordinal))
        {
            return cached.Uri;
        }

        var uri = new Uri(_baseAddress, path);
        Volatile.Write(ref slot, new CachedUri(path, uri));
        return uri;
    }

    private sealed record CachedUri(string Path, Uri Uri);

    private void EnsureTokenMayBeSent(Uri uri)
    {
        if (AgentOSClient.MayCarryToken(uri, _options.AllowUnencryptedAuthentication))
        {
            return;
        }

        // the configured key is refused when the client is created, so this is a per-call token
        throw new ArgumentException(
            $"Refusing to send AgentOSRequestOptions.ApiKey over unencrypted http to '{uri.Host}'. Use https, or set AgentOSClientOptions.AllowUnencryptedAuthentication = true if the network is trusted.",
            "options");
    }

    /// <summary>The call's timer, armed with the request timeout; null when the timeout is infinite (the caller's token alone).</summary>
    private CallTimer? StartTimer(AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var timeout = EffectiveTimeout(requestOptions);
        if (timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        var timer = CallTimer.Rent(Time, cancellationToken);
        timer.StartDeadline(timeout);
        return timer;
    }

    private TimeSpan EffectiveTimeout(AgentOSRequestOptions? requestOptions) => requestOptions?.Timeout ?? _options.Timeout;

    private AgentOSTimeoutException TimeoutError(HttpMethod method, string path, TimeSpan timeout, Exception inner)
        => new($"{method} {path} timed out after {timeout.TotalSeconds:0.###} s (AgentOSClientOptions.Timeout).", inner)
        {
            Method = method.Method,
            RequestPath = path,
            BaseAddress = _baseAddress,
            Timeout = timeout,
        };

    internal async Task<AgentOSException> CreateErrorAsync(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await ReadBoundedAsync(response, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException)
        {
            body = string.Empty; // the status alone says what happened
        }

        var retryAfter = RetryAfter(response);
        var (detail, detailJson, validation) = ParseDetail(body);
        int status = (int)response.StatusCode;
        string excerpt = body.Length > ExcerptChars ? body[..ExcerptChars] + "…" : body;
        string shown = detail ?? (string.IsNullOrWhiteSpace(excerpt) ? response.ReasonPhrase ?? "no details" : excerpt);
        string message = $"{method} {path} failed with {status} {response.ReasonPhrase}: {shown}";
        LogFailed(_logger, method.Method, path, status);

        string? shownExcerpt = detail is null ? excerpt : null;
        AgentOSException error = status switch
        {
            429 => new AgentOSRateLimitException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt, RetryAfter = retryAfter },
            401 => new AgentOSAuthenticationException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            403 => Forbidden(message, response, detail, detailJson, method, path, shownExcerpt),
            404 => new AgentOSNotFoundException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            409 => new AgentOSConflictException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            400 or 422 => new AgentOSBadRequestException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt, ValidationErrors = validation },
            503 when FeatureUnavailable(message, response, detail, detailJson, method, path) is { } unavailable => unavailable,
            >= 500 => new AgentOSServerException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt, RetryAfter = retryAfter },
            _ => new AgentOSException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt, RetryAfter = retryAfter },
        };
        var (errorId, errorType) = ParseErrorIdentity(body);
        error.SetErrorIdentity(errorId, errorType ?? (Dialect.Known == AgentOSDialect.AgnoGo ? AgnoGoErrors.Code(body) : null));
        return error;
    }

    /// <summary>The <c>Retry-After</c> header as a delay: seconds, or a date measured on the client's clock.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - Time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    internal static (string? Detail, JsonElement? DetailJson, IReadOnlyList<AgentOSValidationError> Validation) ParseDetail(string body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart() is not ['{', ..])
        {
            return (null, null, []);
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(body, AgentOSJsonContext.Default.ErrorBody);
            if (parsed?.Detail is { } d)
            {
                if (d.ValueKind == JsonValueKind.String)
                {
                    return (d.GetString(), d, []);
                }

                if (d.ValueKind == JsonValueKind.Array)
                {
                    var errors = new List<AgentOSValidationError>();
                    foreach (var item in d.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Object) { continue; }
                        string? type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        string? msg = item.TryGetProperty("msg", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                        string? loc = item.TryGetProperty("loc", out var l) && l.ValueKind == JsonValueKind.Array
                            ? string.Join('.', l.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() : x.GetRawText()))
                            : null;
                        errors.Add(new AgentOSValidationError(type, loc, msg));
                    }

                    string text = string.Join("; ", errors.Select(e => e.Location is null ? e.Message : $"{e.Location}: {e.Message}"));
                    return (text.Length == 0 ? d.GetRawText() : text, d, errors);
                }

                return (d.GetRawText(), d, []);
            }

            // agno-go style bodies: {"error": ..., "message": ...}
            string? other = parsed?.Message ?? parsed?.Error;
            return (other, null, []);
        }
        catch (Exception ex) when (JsonFailure.IsBadData(ex))
        {
            return (null, null, []);
        }
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await ReadBoundedAsync(response, 4096, cancellationToken).ConfigureAwait(false);
        return body.Length > ExcerptChars ? body[..ExcerptChars] + "…" : body;
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> of a body for a message; a body that breaks (or, with
    /// <paramref name="stopOnCancel"/>, stalls until the token fires) gives what had arrived.
    /// </summary>
    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken, bool stopOnCancel = false)
    {
        byte[] buffer = new byte[maxBytes];
        int total = 0;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                while (total < maxBytes)
                {
                    int read = await stream.ReadAsync(buffer.AsMemory(total, maxBytes - total), cancellationToken).ConfigureAwait(false);
                    if (read == 0) { break; }
                    total += read;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException || (stopOnCancel && ex is OperationCanceledException))
        {
            // a body that breaks or stalls: what arrived is the excerpt
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Excerpt(ReadOnlySpan<byte> body)
    {
        var slice = body.Length > ExcerptChars ? body[..ExcerptChars] : body;
        string text = Encoding.UTF8.GetString(slice);
        return body.Length > ExcerptChars ? text + "…" : text;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "AgentOS {Method} {Path}")]
    private static partial void LogSending(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "AgentOS {Method} {Path} failed with HTTP {Status}")]
    private static partial void LogFailed(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "AgentOS {Method} {Path}: retry {Attempt} in {DelayMs} ms after {Reason}")]
    private static partial void LogRetry(ILogger logger, string method, string path, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "AgentOS {Method} {Path}: 401 with the token provider's token; asking it for a new one and sending the call once more")]
    private static partial void LogTokenRefresh(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "AgentOS {Method} {Path}: server unavailable ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
