using Agno.Testing;

namespace Agno.AgentOS.Hosting.Tests.Support;

/// <summary>The recorded exchanges of <c>Fixtures/agentos-more</c> (copied next to the test assembly).</summary>
internal static class MoreFixtures
{
    /// <summary>The recorded exchange of that name (<c>Fixtures/agentos-more/{name}.http</c>).</summary>
    public static RecordedExchange Fixture(string name)
        => RecordedExchange.Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "agentos-more", name + ".http"));
}
