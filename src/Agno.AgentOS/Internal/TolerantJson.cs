using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Agno.AgentOS.Internal;

/// <summary>
/// Decoding that survives a changed shape in a field the caller did not ask about. The source-generated
/// metadata decodes an answer as usual (the fast path, no cost when the shape is as expected); when it fails on
/// a field, the field is removed from the answer and the answer decoded again, so the model keeps every other
/// field and that one stays unset. The fields the library relies on (<see cref="ReliedOn"/>: ids, status,
/// content, event names, event indexes, nesting) are never dropped: a changed shape there still fails, typed.
/// </summary>
internal static class TolerantJson
{
    /// <summary>The JSON names of fields the library relies on: a value of the wrong shape in one of them fails the answer.</summary>
    internal static readonly HashSet<string> ReliedOn = new(StringComparer.Ordinal)
    {
        "id", "run_id", "session_id", "parent_run_id", "agent_id", "team_id", "workflow_id", "user_id",
        "status", "content", "event", "event_index", "nested_depth", "tool_call_id",
    };

    private const int MaxSkippedFields = 64;

    /// <summary>A field that was dropped from an answer.</summary>
    /// <param name="Path">Its JSON path (<c>$.agents[0].model</c>).</param>
    /// <param name="Found">The kind of JSON value found there.</param>
    /// <param name="Error">What the decoder said.</param>
    internal readonly record struct SkippedField(string Path, JsonValueKind Found, string Error);

    /// <summary>
    /// Decodes <paramref name="utf8"/> after <paramref name="failure"/> (the strict decode's error), dropping
    /// each field that fails until the rest decodes.
    /// </summary>
    /// <exception cref="JsonException">The JSON is not well-formed, its root has the wrong shape, or a relied-on field has the wrong shape.</exception>
    public static T Recover<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo, JsonException failure, Action<SkippedField>? onSkipped)
        => (T)RecoverCore(utf8, typeInfo, failure, onSkipped);

    /// <summary>Like <see cref="Recover{T}"/>, for metadata known only at run time (events by name).</summary>
    public static object Recover(ReadOnlySpan<byte> utf8, JsonTypeInfo typeInfo, JsonException failure, Action<SkippedField>? onSkipped)
        => RecoverCore(utf8, typeInfo, failure, onSkipped);

    private static object RecoverCore(ReadOnlySpan<byte> utf8, JsonTypeInfo typeInfo, JsonException failure, Action<SkippedField>? onSkipped)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(utf8, new JsonNodeOptions { PropertyNameCaseInsensitive = false });
        }
        catch (JsonException)
        {
            throw failure; // not a shape problem: the JSON itself is broken
        }

        var error = failure;
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            string? errorPath = FullPath(error);
            if (root is null || errorPath is null || skipped.Count >= MaxSkippedFields)
            {
                throw error;
            }

            var (parent, name, path) = Locate(root, errorPath);
            if (parent is null || name is null || !skipped.Add(path))
            {
                throw error; // the root, or a place the path does not name: nothing to drop
            }

            if (ReliedOn.Contains(name))
            {
                throw new JsonException($"The field '{path}' has an unexpected shape ({KindOf(parent[name])}), and the library relies on it: {error.Message}", error.Path, null, null, error);
            }

            var found = KindOf(parent[name]);
            parent.Remove(name);
            onSkipped?.Invoke(new SkippedField(path, found, error.Message));
            try
            {
                return JsonSerializer.Deserialize(root, typeInfo) ?? throw new JsonException("The body is the JSON value null.");
            }
            catch (JsonException next)
            {
                error = next;
            }
        }
    }

    /// <summary>The path of a decoder error, with the part a converter's nested decode knew (<see cref="NestedJsonException"/>).</summary>
    internal static string? FullPath(JsonException error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is NestedJsonException nested)
            {
                return error.Path + nested.PathSuffix;
            }
        }

        return error.Path;
    }

    private static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    /// <summary>
    /// The object member a decoder error's path (<c>$.a[0].b</c>, <c>$['odd key'].c</c>) ends in or under: the
    /// deepest member of the path that exists in the document.
    /// </summary>
    internal static (JsonObject? Parent, string? Name, string Path) Locate(JsonNode root, string jsonPath)
    {
        JsonNode? current = root;
        JsonObject? parent = null;
        string? name = null;
        string located = "$";
        var text = new System.Text.StringBuilder("$");
        int i = jsonPath.StartsWith('$') ? 1 : 0;
        while (i < jsonPath.Length && current is not null)
        {
            if (jsonPath[i] == '.')
            {
                int end = i + 1;
                while (end < jsonPath.Length && jsonPath[end] != '.' && jsonPath[end] != '[')
                {
                    end++;
                }

                string member = jsonPath[(i + 1)..end];
                i = end;
                if (!Step(member))
                {
                    break;
                }
            }
            else if (jsonPath[i] == '[' && i + 1 < jsonPath.Length && jsonPath[i + 1] == '\'')
            {
                int end = jsonPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                string member = jsonPath[(i + 2)..end];
                i = end + 2;
                if (!Step(member))
                {
                    break;
                }
            }
            else if (jsonPath[i] == '[')
            {
                int end = jsonPath.IndexOf(']', i);
                if (end < 0 || !int.TryParse(jsonPath.AsSpan(i + 1, end - i - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
                    || current is not JsonArray array || index >= array.Count)
                {
                    break;
                }

                text.Append('[').Append(index).Append(']');
                current = array[index];
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return (parent, name, located);

        bool Step(string member)
        {
            if (current is not JsonObject obj || !obj.ContainsKey(member))
            {
                return false;
            }

            parent = obj;
            name = member;
            text.Append('.').Append(member);
            located = text.ToString();
            current = obj[member];
            return true;
        }
    }
}

/// <summary>A decoder error inside a converter's nested decode: the serializer sets <see cref="JsonException.Path"/> to the converter's value, <see cref="PathSuffix"/> says where in it.</summary>
internal sealed class NestedJsonException : JsonException
{
    public NestedJsonException(string message, string pathSuffix, Exception inner)
        : base(message, inner)
    {
        PathSuffix = pathSuffix;
    }

    public NestedJsonException()
    {
        PathSuffix = string.Empty;
    }

    public NestedJsonException(string message)
        : base(message)
    {
        PathSuffix = string.Empty;
    }

    public NestedJsonException(string message, Exception inner)
        : base(message, inner)
    {
        PathSuffix = string.Empty;
    }

    /// <summary>The path inside the converter's value (<c>[0].provider</c>).</summary>
    public string PathSuffix { get; }
}
