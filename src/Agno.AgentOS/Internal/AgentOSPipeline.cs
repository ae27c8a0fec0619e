using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
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
    private const string AcceptSse = "text/event-stream";
    private static readonly ProductInfoHeaderValue LibraryProduct = new("Agno.AgentOS", typeof(AgentOSPipeline).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");

    private readonly HttpClient _http;
    private readonly AgentOSClientOptions _options;
    private readonly Uri _baseAddress;
    private readonly ILogger _logger;

    // The request URIs of the last few paths: a Uri is immutable and caches what it parses, and the same few paths
    // (a component's runs) are requested over and over.
    private readonly CachedUri?[] _uris = new CachedUri?[4];

    // The User-Agent value, formatted once: the library's product, then the configured one (if it parses as a product).
    private readonly string _userAgent;

    public AgentOSPipeline(HttpClient http, AgentOSClientOptions options, ILogger logger, TimeProvider time, bool tracksConnections = false)
    {
        _tracksConnections = tracksConnections;
        Time = time;
        _http = http;
        _options = options;
        _logger = logger;
        var b = options.BaseAddress!;
        _baseAddress = b.AbsoluteUri.EndsWith('/') ? b : new Uri(b.AbsoluteUri + "/");
        _userAgent = options.UserAgent is { Length: > 0 } ua && ProductInfoHeaderValue.TryParse(ua, out var product)
            ? $"{LibraryProduct} {product}"
            : LibraryProduct.ToString();
    }

    public Uri BaseAddress => _baseAddress;

    public AgentOSClientOptions Options => _options;

    public ILogger Logger => _logger;

    public TimeProvider Time { get; }

    public async Task<T> SendJsonAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> typeInfo, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        using var timeout = CreateTimeout(requestOptions, cancellationToken);
        var token = timeout?.Token ?? cancellationToken;
        try
        {
            using var response = await SendCoreAsync(method, path, content, streaming: false, requestOptions, token).ConfigureAwait(false);
            return await ReadJsonAsync(response, method, path, typeInfo, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout is not null && timeout.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
    }

    public async Task SendNoContentAsync(HttpMethod method, string path, HttpContent? content, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        using var timeout = CreateTimeout(requestOptions, cancellationToken);
        var token = timeout?.Token ?? cancellationToken;
        try
        {
            using var response = await SendCoreAsync(method, path, content, streaming: false, requestOptions, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout is not null && timeout.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
    }

    /// <summary>Sends a request whose answer is read as JSON or as a stream depending on its content type.</summary>
    public async Task<HttpResponseMessage> SendForResponseAsync(HttpMethod method, string path, HttpContent? content, bool streaming, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        using var timeout = CreateTimeout(requestOptions, cancellationToken);
        var token = timeout?.Token ?? cancellationToken;
        try
        {
            return await SendCoreAsync(method, path, content, streaming, requestOptions, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout is not null && timeout.IsCancellationRequested)
        {
            throw TimeoutError(method, path, EffectiveTimeout(requestOptions), ex);
        }
    }

    public async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpMethod method, string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            string excerpt = await ReadExcerptAsync(response, cancellationToken).ConfigureAwait(false);
            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} with content type '{mediaType}', not JSON. Body starts with: {excerpt}")
            {
                StatusCode = response.StatusCode,
                Method = method.Method,
                RequestPath = path,
                ResponseBodyExcerpt = excerpt,
            };
        }

        try
        {
            // The body is already buffered (ResponseContentRead): read the in-memory stream synchronously, which
            // spares the serializer's async machinery (and copies nothing).
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
#pragma warning disable VSTHRD103 // the stream is the buffered body in memory: reading it never blocks
                return JsonSerializer.Deserialize(stream, typeInfo)
                    ?? throw new JsonException("The body is the JSON value null.");
#pragma warning restore VSTHRD103
            }
        }
        catch (JsonException strict)
        {
            // a field of an unexpected shape: decode the rest (AgentOSPipeline.Tolerant.cs)
            var (recovered, error) = await RecoverAsync(response, method, path, typeInfo, strict, cancellationToken).ConfigureAwait(false);
            if (error is null)
            {
                return recovered!;
            }

            var ex = error;
            throw new AgentOSProtocolException($"{method} {path} answered {(int)response.StatusCode} with malformed JSON: {ex.Message}", ex)
            {
                StatusCode = response.StatusCode,
                Method = method.Method,
                RequestPath = path,
            };
        }
        catch (HttpRequestException ex)
        {
            throw new AgentOSServerUnavailableException($"{method} {path}: the connection failed while reading the answer: {ex.Message}", ex)
            {
                Method = method.Method,
                RequestPath = path,
                BaseAddress = _baseAddress,
            };
        }
        catch (IOException ex)
        {
            throw new AgentOSServerUnavailableException($"{method} {path}: the connection failed while reading the answer: {ex.Message}", ex)
            {
                Method = method.Method,
                RequestPath = path,
                BaseAddress = _baseAddress,
            };
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, HttpContent? content, bool streaming, AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var uri = UriFor(path);
        LogSending(_logger, method.Method, path);
        HttpResponseMessage response;
        RequestAttempt attempt;
        for (int retries = 0; ; retries++)
        {
            // a new message per attempt (a message is sent once); the content is the caller's and survives it
            var request = CreateRequest(method, uri, content, streaming, requestOptions);
            attempt = new RequestAttempt { Tracked = _tracksConnections };
            RequestAttempt.Current = attempt;
            try
            {
                response = await _http.SendAsync(request, streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (HttpRequestException ex) when (retries == 0 && NeverSent(attempt))
            {
                // provably nothing of the request reached the server (AgentOSPipeline.Connections.cs): send it again
                LogResent(_logger, method.Method, path, ex.HttpRequestError.ToString());
            }
            catch (HttpRequestException ex)
            {
                LogUnavailable(_logger, method.Method, path, ex.HttpRequestError.ToString());
                throw new AgentOSServerUnavailableException($"The AgentOS server at {_baseAddress} cannot be reached ({method} {path}): {ex.Message}{MaySendAgainNote(method, attempt)}", ex)
                {
                    Method = method.Method,
                    RequestPath = path,
                    BaseAddress = _baseAddress,
                    StatusCode = ex.StatusCode,
                };
            }
            finally
            {
                RequestAttempt.Current = null;
                request.Content = null;
                request.Dispose();
            }
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var error = await CreateErrorAsync(response, method, path, cancellationToken).ConfigureAwait(false);
            RetireAfterError(response, attempt);
            throw error;
        }
    }

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
        if (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback || _options.AllowUnencryptedAuthentication)
        {
            return;
        }

        throw new InvalidOperationException(
            $"Refusing to send the API key over unencrypted http to '{uri.Host}'. Use https, or set AgentOSClientOptions.AllowUnencryptedAuthentication = true if the network is trusted.");
    }

    private LinkedTimeout? CreateTimeout(AgentOSRequestOptions? requestOptions, CancellationToken cancellationToken)
    {
        var timeout = EffectiveTimeout(requestOptions);
        return timeout == System.Threading.Timeout.InfiniteTimeSpan ? null : new LinkedTimeout(timeout, Time, cancellationToken);
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
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            body = string.Empty;
        }

        var (detail, detailJson, validation) = ParseDetail(body);
        int status = (int)response.StatusCode;
        string excerpt = body.Length > ExcerptChars ? body[..ExcerptChars] + "…" : body;
        string shown = detail ?? (string.IsNullOrWhiteSpace(excerpt) ? response.ReasonPhrase ?? "no details" : excerpt);
        string message = $"{method} {path} failed with {status} {response.ReasonPhrase}: {shown}";
        LogFailed(_logger, method.Method, path, status);

        string? shownExcerpt = detail is null ? excerpt : null;
        AgentOSException error = status switch
        {
            401 => new AgentOSAuthenticationException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            403 => new AgentOSPermissionException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            404 => new AgentOSNotFoundException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            409 => new AgentOSConflictException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            400 or 422 => new AgentOSBadRequestException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt, ValidationErrors = validation },
            >= 500 => new AgentOSServerException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
            _ => new AgentOSException(message) { StatusCode = response.StatusCode, Detail = detail, DetailJson = detailJson, Method = method.Method, RequestPath = path, ResponseBodyExcerpt = shownExcerpt },
        };
        var (errorId, errorType) = ParseErrorIdentity(body);
        error.SetErrorIdentity(errorId, errorType);
        return error;
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
        catch (JsonException)
        {
            return (null, null, []);
        }
    }

    private static async Task<string> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body = await ReadBoundedAsync(response, 4096, cancellationToken).ConfigureAwait(false);
        return body.Length > ExcerptChars ? body[..ExcerptChars] + "…" : body;
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = new byte[maxBytes];
            int total = 0;
            while (total < maxBytes)
            {
                int read = await stream.ReadAsync(buffer.AsMemory(total, maxBytes - total), cancellationToken).ConfigureAwait(false);
                if (read == 0) { break; }
                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "AgentOS {Method} {Path}")]
    private static partial void LogSending(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "AgentOS {Method} {Path} failed with HTTP {Status}")]
    private static partial void LogFailed(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "AgentOS {Method} {Path}: server unavailable ({Error})")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string error);
}
