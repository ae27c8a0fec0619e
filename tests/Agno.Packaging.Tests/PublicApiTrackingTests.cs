using Xunit;

namespace Agno.Packaging.Tests;

/// <summary>
/// The public API of every shipped package is tracked by Microsoft.CodeAnalysis.PublicApiAnalyzers (the build fails on
/// RS0016 / RS0017); these checks keep the tracking wired: both files per package, nullability on, real entries.
/// </summary>
public sealed class PublicApiTrackingTests
{
    public static TheoryData<string> Packages => new(Directory.GetDirectories(Repository.PathOf("src")).Select(Path.GetFileName).Where(n => n!.StartsWith("Agno.", StringComparison.Ordinal))!);

    [Theory]
    [MemberData(nameof(Packages))]
    public void The_package_lists_its_public_api_with_nullability(string package)
    {
        string shipped = Repository.PathOf($"src/{package}/PublicAPI.Shipped.txt");
        string unshipped = Repository.PathOf($"src/{package}/PublicAPI.Unshipped.txt");

        Assert.True(File.Exists(shipped), $"{shipped} is missing");
        var lines = File.ReadAllLines(unshipped);
        Assert.Equal("#nullable enable", lines[0]);
        Assert.Equal("#nullable enable", File.ReadLines(shipped).First());
        Assert.True(lines.Length > 5, $"{unshipped} lists almost nothing");
        Assert.Equal(lines.Length, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(lines, l => l.Contains('!', StringComparison.Ordinal) || l.Contains('?', StringComparison.Ordinal)); // annotated
    }

    [Fact]
    public void The_listing_keeps_nullability_and_default_values_the_reflection_listing_dropped()
    {
        var core = File.ReadAllLines(Repository.PathOf("src/Agno.AgentOS/PublicAPI.Unshipped.txt"));

        Assert.Contains("Agno.AgentOS.AgentOSClient.AgentOSClient(System.Uri! baseAddress, string? apiKey = null) -> void", core);
        Assert.Contains("const Agno.AgentOS.AgentOSTelemetry.ActivitySourceName = \"Agno.AgentOS\" -> string!", core);
    }

    [Fact]
    public void The_build_enforces_the_listing()
    {
        string props = File.ReadAllText(Repository.PathOf("Directory.Build.props"));

        Assert.Contains("<PackageReference Include=\"Microsoft.CodeAnalysis.PublicApiAnalyzers\" PrivateAssets=\"all\" />", props, StringComparison.Ordinal);
        Assert.Contains("<WarningsAsErrors>$(WarningsAsErrors);RS0016;RS0017</WarningsAsErrors>", props, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf("eng/update-public-api.sh")));
    }
}
