using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

/// <summary>
/// A protocol test class runs over both recordings, agno 2.9 and agno 3.0, as two versions of one truth: each
/// abstract test class has one derived class per recording (<c>..._Agno29</c>, <c>..._Agno30</c>). Where 3.0
/// really differs on the wire (Fixtures/agentos-3.0/INDEX.md), a test asserts the 3.0 behaviour under
/// <see cref="IsAgno3"/>.
/// </summary>
public abstract class ProtocolTests
{
    protected ProtocolTests(FixtureSet fixtures)
    {
        Recording = fixtures;
        Fixtures.Use(fixtures);
    }

    /// <summary>The recording this class replays.</summary>
    protected FixtureSet Recording { get; }

    /// <summary>Whether the recording is agno 3.x's.</summary>
    protected bool IsAgno3 => Recording.IsAgno3;

    [Fact]
    public async Task Fixtures_and_servers_use_the_recording_of_the_class()
    {
        Assert.Same(Recording, Fixtures.Current);
        await using var server = await ReplayServer.StartAsync();
        Assert.Same(Recording, server.FixtureSet);
        Assert.Equal(Recording.AgnoVersion, System.Text.Json.JsonDocument.Parse(Fixtures.Get("003").ResponseBody).RootElement.GetProperty("agno_version").GetString());
    }
}
