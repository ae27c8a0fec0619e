using Agno.AgentOS;
using Agno.Testing;

namespace Agno.SemanticKernel.Tests.Support;

internal static class TestHelpers
{
    /// <summary>Generous bound for waits that normally take milliseconds (never asserted as a timing).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static AgentOSClient Client(ReplayServer server) => new(new AgentOSClientOptions { BaseAddress = server.BaseAddress });

    /// <summary>The form fields of a received request.</summary>
    public static Dictionary<string, string?> Form(ReceivedRequest request)
        => RequestAssert.ParseBody(request.ContentType, request.Body)
            .Where(p => p.FileName is null)
            .ToDictionary(p => p.Name, p => p.Value);

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
