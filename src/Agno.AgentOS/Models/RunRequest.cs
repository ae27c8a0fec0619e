using System.Text.Json.Nodes;

namespace Agno.AgentOS;

/// <summary>
/// The input and options of a run of an agent, team or workflow. Sent as a form post, as AgentOS expects:
/// url-encoded, or multipart when <see cref="Files"/> are attached. JSON-valued options travel as JSON
/// text in their form fields.
/// </summary>
public sealed partial class RunRequest
{
    /// <summary>Creates a request with a text message.</summary>
    /// <param name="message">The input (required, may not be null).</param>
    public RunRequest(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Message = message;
    }

    /// <summary>
    /// Creates a request whose message is structured input (an object for a component with an
    /// <c>input_schema</c>, or a list of messages), serialized as JSON text as agno's own clients do.
    /// </summary>
    /// <param name="input">The input.</param>
    /// <returns>The request.</returns>
    public static RunRequest FromJson(JsonNode input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new RunRequest(input.ToJsonString());
    }

    /// <summary>
    /// Creates a request whose message is a list of chat messages (<c>[{"role": ..., "content": ...}]</c>),
    /// the form agno uses to hand history to a remote agent.
    /// </summary>
    /// <param name="messages">The messages, oldest first.</param>
    /// <returns>The request.</returns>
    public static RunRequest FromMessages(IEnumerable<(string Role, string Content)> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = new JsonArray();
        foreach (var (role, content) in messages)
        {
            list.Add((JsonNode)new JsonObject { ["role"] = role, ["content"] = content });
        }

        return FromJson(list);
    }

    /// <summary>The input (form field <c>message</c>).</summary>
    public string Message { get; set; }

    /// <summary>The session to run in; the server creates one when absent and returns its id.</summary>
    public string? SessionId { get; set; }

    /// <summary>The user the run is for.</summary>
    public string? UserId { get; set; }

    /// <summary>State merged into the session's state (<c>session_state</c>).</summary>
    public JsonObject? SessionState { get => _options?.SessionState; set => Options.SessionState = value; }

    /// <summary>Dependencies for the run (<c>dependencies</c>).</summary>
    public JsonObject? Dependencies { get => _options?.Dependencies; set => Options.Dependencies = value; }

    /// <summary>Metadata stored with the run (<c>metadata</c>).</summary>
    public JsonObject? Metadata { get => _options?.Metadata; set => Options.Metadata = value; }

    /// <summary>Knowledge filters: an object, or a list of filter expressions (<c>knowledge_filters</c>).</summary>
    public JsonNode? KnowledgeFilters { get => _options?.KnowledgeFilters; set => Options.KnowledgeFilters = value; }

    /// <summary>A JSON Schema for structured output (<c>output_schema</c>); the answer's content becomes a JSON object.</summary>
    public JsonObject? OutputSchema { get => _options?.OutputSchema; set => Options.OutputSchema = value; }

    /// <summary>Use <see cref="OutputSchema"/> as a raw JSON schema (<c>use_json_schema=true</c>) rather than converting it to a model.</summary>
    public bool? UseJsonSchema { get => _options?.UseJsonSchema; set => Options.UseJsonSchema = value; }

    /// <summary>Whether the stream carries lifecycle events (<c>stream_events</c>; the server's default is true). When false, only content events arrive.</summary>
    public bool? StreamEvents { get => _options?.StreamEvents; set => Options.StreamEvents = value; }

    /// <summary>Whether the session's history goes to the model (<c>add_history_to_context</c>).</summary>
    public bool? AddHistoryToContext { get => _options?.AddHistoryToContext; set => Options.AddHistoryToContext = value; }

    /// <summary>Whether dependencies go to the model (<c>add_dependencies_to_context</c>).</summary>
    public bool? AddDependenciesToContext { get => _options?.AddDependenciesToContext; set => Options.AddDependenciesToContext = value; }

    /// <summary>Whether the session state goes to the model (<c>add_session_state_to_context</c>).</summary>
    public bool? AddSessionStateToContext { get => _options?.AddSessionStateToContext; set => Options.AddSessionStateToContext = value; }

    /// <summary>The component version to run (database-backed components; an integer, as agno 3.x requires).</summary>
    public int? Version { get => _options?.Version; set => Options.Version = value; }

    /// <summary>
    /// Background submissions only: sent as the <c>Idempotency-Key</c> header (at most 512 characters). An agno 3.x
    /// server with the durable queue answers a resubmission with the same key with the original run (or attaches to
    /// its stream) instead of starting the run twice; servers without it ignore the header.
    /// </summary>
    public string? IdempotencyKey { get => _options?.IdempotencyKey; set => Options.IdempotencyKey = value; }

    /// <summary>Input for a factory-built component (<c>factory_input</c>).</summary>
    public JsonObject? FactoryInput { get => _options?.FactoryInput; set => Options.FactoryInput = value; }

    /// <summary>Additional data for a workflow run (<c>additional_data</c>).</summary>
    public JsonObject? AdditionalData { get => _options?.AdditionalData; set => Options.AdditionalData = value; }

    /// <summary>Images sent as JSON (<c>images</c>): base64 content or URLs.</summary>
    public IList<MediaItem> Images => Options.Images ??= [];

    internal IReadOnlyList<MediaItem> ImagesOrEmpty => (IReadOnlyList<MediaItem>?)_options?.Images ?? [];

    /// <summary>Audio sent as JSON (<c>audio</c>).</summary>
    public IList<MediaItem> Audio => Options.Audio ??= [];

    internal IReadOnlyList<MediaItem> AudioOrEmpty => (IReadOnlyList<MediaItem>?)_options?.Audio ?? [];

    /// <summary>Videos sent as JSON (<c>videos</c>).</summary>
    public IList<MediaItem> Videos => Options.Videos ??= [];

    internal IReadOnlyList<MediaItem> VideosOrEmpty => (IReadOnlyList<MediaItem>?)_options?.Videos ?? [];

    /// <summary>Documents sent as JSON (<c>input_files</c>).</summary>
    public IList<MediaItem> InputFiles => Options.InputFiles ??= [];

    internal IReadOnlyList<MediaItem> InputFilesOrEmpty => (IReadOnlyList<MediaItem>?)_options?.InputFiles ?? [];

    /// <summary>Binary uploads (<c>files</c>, agents and teams only); their presence makes the request multipart.</summary>
    public IList<FileUpload> Files => Options.Files ??= [];

    internal IReadOnlyList<FileUpload> FilesOrEmpty => (IReadOnlyList<FileUpload>?)_options?.Files ?? [];

    /// <summary>
    /// Any other run parameter, passed to the component's <c>arun</c> (e.g. <c>debug_mode</c>,
    /// <c>run_id</c>). Values may be strings, booleans (sent as <c>true</c>/<c>false</c>), numbers (sent
    /// as invariant text: the server does not convert them back), or JSON nodes (sent as JSON text).
    /// </summary>
    public IDictionary<string, object?> AdditionalFields => Options.AdditionalFields ??= new Dictionary<string, object?>(StringComparer.Ordinal);

    internal IReadOnlyDictionary<string, object?> AdditionalFieldsOrEmpty => (IReadOnlyDictionary<string, object?>?)_options?.AdditionalFields ?? EmptyFields;

    // Everything but the message, session and user lives in a side object created when one of them is first set or
    // read (the lists and the dictionary inside it when first read): most runs send a message and nothing else.
    private RunOptions? _options;

    private RunOptions Options => _options ??= new RunOptions();

    /// <summary>Whether nothing but the message, session and user was ever set or read.</summary>
    internal bool IsPlain => _options is null;

    private sealed class RunOptions
    {
        public JsonObject? SessionState;
        public JsonObject? Dependencies;
        public JsonObject? Metadata;
        public JsonNode? KnowledgeFilters;
        public JsonObject? OutputSchema;
        public bool? UseJsonSchema;
        public bool? StreamEvents;
        public bool? AddHistoryToContext;
        public bool? AddDependenciesToContext;
        public bool? AddSessionStateToContext;
        public int? Version;
        public string? IdempotencyKey;
        public JsonObject? FactoryInput;
        public JsonObject? AdditionalData;
        public List<MediaItem>? Images;
        public List<MediaItem>? Audio;
        public List<MediaItem>? Videos;
        public List<MediaItem>? InputFiles;
        public List<FileUpload>? Files;
        public Dictionary<string, object?>? AdditionalFields;
    }

    internal static readonly IReadOnlyDictionary<string, object?> EmptyFields = new Dictionary<string, object?>();
}

/// <summary>A media item sent as JSON in <c>images</c>, <c>audio</c>, <c>videos</c> or <c>input_files</c>.</summary>
public sealed class MediaItem
{
    /// <summary>Binary content, sent base64-encoded.</summary>
    public ReadOnlyMemory<byte>? Content { get; set; }

    /// <summary>Text content of a document, sent as it is (instead of base64 <see cref="Content"/>).</summary>
    public string? TextContent { get; set; }

    /// <summary>A URL the server fetches instead.</summary>
    public Uri? Url { get; set; }

    /// <summary>The MIME type (e.g. <c>image/png</c>).</summary>
    public string? MimeType { get; set; }

    /// <summary>The format (e.g. <c>png</c>).</summary>
    public string? Format { get; set; }

    /// <summary>The file name (documents).</summary>
    public string? FileName { get; set; }

    /// <summary>An id.</summary>
    public string? Id { get; set; }

    /// <summary>Image detail for the model (<c>low</c>, <c>high</c>, <c>auto</c>).</summary>
    public string? Detail { get; set; }

    /// <summary>Creates an item from bytes.</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="mimeType">The MIME type.</param>
    /// <param name="fileName">An optional file name.</param>
    /// <returns>The item.</returns>
    public static MediaItem FromBytes(ReadOnlyMemory<byte> content, string mimeType, string? fileName = null)
        => new() { Content = content, MimeType = mimeType, FileName = fileName, Format = FormatOf(mimeType, fileName) };

    /// <summary>Creates a text document item (its content sent as text).</summary>
    /// <param name="text">The document's text.</param>
    /// <param name="mimeType">The MIME type (e.g. <c>application/json</c>, <c>text/plain</c>).</param>
    /// <param name="fileName">An optional file name.</param>
    /// <returns>The item.</returns>
    public static MediaItem FromText(string text, string mimeType, string? fileName = null)
        => new() { TextContent = text, MimeType = mimeType, FileName = fileName };

    /// <summary>Creates an item from a URL.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="mimeType">An optional MIME type.</param>
    /// <returns>The item.</returns>
    public static MediaItem FromUrl(Uri url, string? mimeType = null)
        => new() { Url = url, MimeType = mimeType };

    internal JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Id is not null) { o["id"] = Id; }
        if (TextContent is not null) { o["content"] = TextContent; }
        else if (Content is { } c) { o["content"] = Convert.ToBase64String(c.Span); }
        if (Url is not null) { o["url"] = Url.ToString(); }
        if (MimeType is not null) { o["mime_type"] = MimeType; }
        if (Format is not null) { o["format"] = Format; }
        if (FileName is not null) { o["filename"] = FileName; }
        if (Detail is not null) { o["detail"] = Detail; }
        return o;
    }

    private static string? FormatOf(string mimeType, string? fileName)
    {
        if (fileName is not null && Path.GetExtension(fileName) is { Length: > 1 } ext)
        {
            return ext[1..].ToLowerInvariant();
        }

        int slash = mimeType.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 && slash < mimeType.Length - 1 ? mimeType[(slash + 1)..].ToLowerInvariant() : null;
    }
}

/// <summary>A binary file uploaded with a run (multipart field <c>files</c>).</summary>
/// <param name="FileName">The file name (its extension helps the server when the type is generic).</param>
/// <param name="ContentType">The content type (e.g. <c>image/png</c>, <c>application/pdf</c>).</param>
/// <param name="Content">The bytes.</param>
public sealed record FileUpload(string FileName, string ContentType, ReadOnlyMemory<byte> Content)
{
    /// <summary>
    /// Metadata of this file, sent in <c>files_metadata</c> (agno 3.x: a JSON list matched to the uploads by
    /// position, at most 8000 bytes in all; agno 2.9 ignores it).
    /// </summary>
    public JsonObject? Metadata { get; init; }
}

/// <summary>
/// The answer to a paused run. Agents are continued with <see cref="Tools"/> (the whole tool list of the
/// paused run, modified), teams with <see cref="Requirements"/>, workflows with
/// <see cref="StepRequirements"/>; the session id is always required.
/// </summary>
public sealed partial class ContinueRunRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="sessionId">The paused run's session (required by the server).</param>
    public ContinueRunRequest(string sessionId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sessionId);
        SessionId = sessionId;
    }

    /// <summary>The paused run's session.</summary>
    public string SessionId { get; }

    /// <summary>The user.</summary>
    public string? UserId { get; set; }

    /// <summary>Agents: every tool of the paused run, with confirmations, user input and results filled in (the server replaces the run's tool list with this one).</summary>
    public IList<ToolExecution> Tools { get; init; } = [];

    /// <summary>Teams: the requirements of the paused run, answered.</summary>
    public IList<RunRequirement> Requirements { get; init; } = [];

    /// <summary>Workflows: the step requirements of the paused run, answered.</summary>
    public IList<StepRequirement> StepRequirements { get; init; } = [];

    /// <summary>Other continue parameters (e.g. <c>input</c>, <c>continue_from</c>, <c>additional_instructions</c>), formatted like <see cref="RunRequest.AdditionalFields"/>.</summary>
    public IDictionary<string, object?> AdditionalFields { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    /// <summary>Builds the answer to a paused agent run from its output (its tools, modified in place by the caller).</summary>
    /// <param name="paused">The paused output.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest From(AgentRunOutput paused)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return new ContinueRunRequest(RequireSession(paused.SessionId)) { Tools = paused.Tools ?? [] };
    }

    /// <summary>
    /// Builds the answer to a paused agent run from its output and the caller's decisions (<see cref="ToolExecution.Approved"/>,
    /// <see cref="ToolExecution.Rejected"/>, ...): each paused tool is replaced by the decision with its
    /// <see cref="ToolExecution.ToolCallId"/>; the others are sent as they came. The paused output is not changed.
    /// </summary>
    /// <param name="paused">The paused output (for instance read back with <see cref="AgentOSJsonUtilities.DefaultOptions"/>).</param>
    /// <param name="decisions">The decided tools.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentException">A decision names no tool of the paused run.</exception>
    public static ContinueRunRequest From(AgentRunOutput paused, IEnumerable<ToolExecution> decisions)
    {
        ArgumentNullException.ThrowIfNull(paused);
        ArgumentNullException.ThrowIfNull(decisions);
        var tools = paused.Tools ?? [];
        var byId = new Dictionary<string, ToolExecution>(StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            ArgumentNullException.ThrowIfNull(decision, nameof(decisions));
            if (decision.ToolCallId is not { } id || !tools.Exists(t => t.ToolCallId == id))
            {
                throw new ArgumentException($"The decision for '{decision.ToolName}' (call '{decision.ToolCallId}') names no tool of the paused run.", nameof(decisions));
            }

            byId[id] = decision;
        }

        return new ContinueRunRequest(RequireSession(paused.SessionId))
        {
            Tools = [.. tools.Select(t => t.ToolCallId is { } id && byId.TryGetValue(id, out var decided) ? decided : t)],
        };
    }

    /// <summary>Builds the answer to a paused team run from its output.</summary>
    /// <param name="paused">The paused output.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest From(TeamRunOutput paused)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return new ContinueRunRequest(RequireSession(paused.SessionId)) { Requirements = paused.Requirements ?? [] };
    }

    /// <summary>Builds the answer to a paused workflow run from its output.</summary>
    /// <param name="paused">The paused output.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest From(WorkflowRunOutput paused)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return new ContinueRunRequest(RequireSession(paused.SessionId)) { StepRequirements = paused.StepRequirements ?? [] };
    }

    /// <summary>Builds the answer to a paused streamed run from its aggregated result.</summary>
    /// <param name="paused">The paused result.</param>
    /// <returns>The request.</returns>
    public static ContinueRunRequest From(StreamedRunResult paused)
    {
        ArgumentNullException.ThrowIfNull(paused);
        return new ContinueRunRequest(RequireSession(paused.SessionId))
        {
            Tools = paused.Tools,
            Requirements = paused.Requirements,
            StepRequirements = paused.StepRequirements,
        };
    }

    private static string RequireSession(string? sessionId)
        => string.IsNullOrWhiteSpace(sessionId)
            ? throw new ArgumentException("The paused run has no session id; continue it with an explicit ContinueRunRequest.")
            : sessionId;
}
