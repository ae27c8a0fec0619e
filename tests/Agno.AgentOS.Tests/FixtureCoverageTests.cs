using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public sealed partial class FixtureCoverageTests
{
    /// <summary>Fixtures that no test exercises yet, each with the reason. Empty: every fixture is used.</summary>
    private static readonly Dictionary<string, string> Pending = new(StringComparer.Ordinal);

    [Fact]
    public void Every_recorded_fixture_is_exercised_by_a_test()
    {
        var referenced = ReferencedFixtureNumbers();
        var unused = Fixtures.Names
            .Select(n => n[..3])
            .Where(n => !referenced.Contains(n) && !Pending.ContainsKey(n))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(Fixtures.Names.Count >= 159, $"Only {Fixtures.Names.Count} fixtures were found in {Fixtures.Folder}.");
        Assert.True(unused.Count == 0, "Fixtures no test uses: " + string.Join(", ", unused));
        Assert.All(Pending.Keys, p => Assert.DoesNotContain(p, referenced));
    }

    private static HashSet<string> ReferencedFixtureNumbers([CallerFilePath] string thisFile = "")
    {
        // Tests name fixtures by number in Serve(...), Fixtures.Get(...), Form(...), Files(...) and
        // RecordedEventNames(...) calls: "020" or "020-agent-run-nonstream".
        var folder = Path.GetDirectoryName(thisFile)!;
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.cs"))
        {
            if (Path.GetFileName(file) == Path.GetFileName(thisFile))
            {
                continue;
            }

            foreach (Match m in FixtureName().Matches(File.ReadAllText(file)))
            {
                numbers.Add(m.Groups[1].Value);
            }
        }

        return numbers;
    }

    [GeneratedRegex("\"(\\d{3})(-[a-z0-9-]+)?\"")]
    private static partial Regex FixtureName();
}
