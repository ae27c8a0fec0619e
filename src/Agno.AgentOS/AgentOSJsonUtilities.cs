using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Agno.AgentOS.Internal;

namespace Agno.AgentOS;

/// <summary>
/// The client's JSON settings and source-generated type information (snake_case wire names, nulls omitted, the
/// timestamp formats agno uses), for storing protocol objects and reading them back, e.g. a paused run kept between
/// two requests of a web application (or two processes) and continued later with <c>RemoteAgent.ContinueAsync</c>.
/// </summary>
/// <example>
/// <code>
/// string json = JsonSerializer.Serialize(paused, AgentOSJsonUtilities.DefaultOptions.GetTypeInfo&lt;AgentRunOutput&gt;());
/// // ... later, elsewhere
/// AgentRunOutput restored = JsonSerializer.Deserialize(json, AgentOSJsonUtilities.DefaultOptions.GetTypeInfo&lt;AgentRunOutput&gt;())!;
/// </code>
/// </example>
public static class AgentOSJsonUtilities
{
    /// <summary>
    /// Read-only options whose resolver knows every type of the protocol (runs, outputs, tools, requirements, events,
    /// sessions, ...) through source generation, so they work trimmed and AOT-compiled.
    /// </summary>
    public static JsonSerializerOptions DefaultOptions => AgentOSJsonContext.Default.Options;

    /// <summary>The type information of <typeparamref name="T"/> in <see cref="DefaultOptions"/>.</summary>
    /// <typeparam name="T">A protocol type, e.g. <see cref="AgentRunOutput"/>.</typeparam>
    /// <param name="options">The options (normally <see cref="DefaultOptions"/>).</param>
    /// <returns>The type information.</returns>
    /// <exception cref="NotSupportedException">The type is not one of the protocol's.</exception>
    public static JsonTypeInfo<T> GetTypeInfo<T>(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }
}
