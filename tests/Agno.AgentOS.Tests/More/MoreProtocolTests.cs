using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests.More;

/// <summary>
/// A test class of the second recording (Fixtures/agentos-more: approvals, checkpoints, traces, schedules, learnings,
/// service accounts, components, registry, JWT), run once against the agno 2.9 answers and once with agno 3.0's
/// <c>-v3</c> copies in their place (<c>..._More29</c>, <c>..._More30</c>).
/// </summary>
public abstract class MoreProtocolTests
{
    protected MoreProtocolTests(FixtureSet fixtures)
    {
        Recording = fixtures;
        Fixtures.Use(fixtures);
    }

    /// <summary>The recording this class replays.</summary>
    protected FixtureSet Recording { get; }

    /// <summary>Whether the recording is agno 3.x's.</summary>
    protected bool IsAgno3 => Recording.IsAgno3;

    /// <summary>The bearer token a recorded request sent (without <c>Bearer </c>).</summary>
    protected static string RecordedToken(string fixture)
        => Fixtures.Get(fixture).RequestHeader("Authorization")?["Bearer ".Length..] ?? throw new InvalidOperationException($"{fixture} sent no token.");

    [Fact]
    public void The_class_replays_its_recording()
    {
        Assert.Same(Recording, Fixtures.Current);
        Assert.Equal(Recording.AgnoVersion, TestSupport.RecordedString("440", "agno_version"));
    }
}
