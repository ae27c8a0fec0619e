using Agno.Testing;
using Xunit;

namespace Agno.Agents.AI.Tests;

public sealed class PublicApiTests
{
    [Fact]
    public void The_public_api_matches_the_committed_listing()
        => PublicApi.AssertUnchanged(typeof(AgentOSAIAgent).Assembly);
}
