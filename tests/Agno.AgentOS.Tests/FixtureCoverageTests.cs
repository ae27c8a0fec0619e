using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Agno.Testing;
using Xunit;

namespace Agno.AgentOS.Tests;

public sealed partial class FixtureCoverageTests
{
    /// <summary>Fixtures that no test exercises yet, each with the reason. Empty: every fixture is used.</summary>
    private static readonly Dictionary<string, string> Pending = new(StringComparer.Ordinal);

    public static TheoryData<string> Recordings => new(FixtureSet.All.Concat(FixtureSet.More).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Recordings))]
    public void Every_recorded_fixture_is_exercised_by_a_test(string recording)
    {
        // A fixture counts for a recording when a test class that replays that recording names it: every
        // protocol test class has one derived class per recording ("... : XTests(FixtureSet.Agno30);").
        var set = FixtureSet.All.Concat(FixtureSet.More).Single(s => s.Name == recording);
        var referenced = ReferencedFixtureNumbers(set);
        var unused = set.Names
            .Select(n => n[..3])
            .Where(n => !referenced.Contains(n) && !Pending.ContainsKey(n))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(set.Names.Count >= 159, $"Only {set.Names.Count} fixtures were found in {set.Folder}.");
        Assert.True(unused.Count == 0, $"Fixtures of {set} no test uses: " + string.Join(", ", unused));
        Assert.All(Pending.Keys, p => Assert.DoesNotContain(p, referenced));
    }

    [Fact]
    public void Both_recordings_hold_the_same_requests()
    {
        Assert.Equal(FixtureSet.Agno29.Names.Order(StringComparer.Ordinal), FixtureSet.Agno30.Names.Order(StringComparer.Ordinal));
        Assert.All(FixtureSet.Agno29.Names, n => Assert.Equal(FixtureSet.Agno29.Get(n).Method, FixtureSet.Agno30.Get(n).Method));
    }

    private static HashSet<string> ReferencedFixtureNumbers(FixtureSet set, [CallerFilePath] string thisFile = "")
    {
        // Tests name fixtures by number in Serve(...), Fixtures.Get(...), Form(...), Files(...) and
        // RecordedEventNames(...) calls: "020" or "020-agent-run-nonstream".
        var folder = Path.GetDirectoryName(thisFile)!;
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(folder, f)))
        {
            string text = File.ReadAllText(file);
            bool replaysSet = set == FixtureSet.Agno29
                ? !text.Contains("(FixtureSet fixtures) : ProtocolTests(fixtures)", StringComparison.Ordinal) || text.Contains("(FixtureSet.Agno29);", StringComparison.Ordinal)
                : text.Contains($"(FixtureSet.{set.Name});", StringComparison.Ordinal);
            // the agno-go tests name agno-go fixtures (AgnoGoHostileServerTests checks those)
            if (Path.GetFileName(file) == Path.GetFileName(thisFile) || !replaysSet || Path.GetFileName(file).StartsWith("AgnoGo", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match m in FixtureName().Matches(text))
            {
                numbers.Add(m.Groups[1].Value);
            }
        }

        return numbers;
    }

    private static bool IsBuildOutput(string folder, string file)
        => Path.GetRelativePath(folder, file).Split(Path.DirectorySeparatorChar)[0] is "bin" or "obj";

    [GeneratedRegex("\"(\\d{3})(-[a-z0-9-]+)?\"")]
    private static partial Regex FixtureName();
}
