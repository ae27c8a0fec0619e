using Xunit;

namespace Agno.Packaging.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md and of the package READMEs compiles on its own, as a console program
/// (top-level statements, the console template's implicit usings) referencing the packages: a reader can paste any one
/// of them into a new project. Blocks that use the Semantic Kernel agent packages are compiled by
/// Agno.SemanticKernel.Agents.Tests, where those packages restore.
/// </summary>
public sealed class ReadmeSnippetTests
{
    public static readonly string[] Readmes =
    [
        "README.md",
        "src/Agno.AgentOS/README.md",
        "src/Agno.Extensions.AI/README.md",
        "src/Agno.Agents.AI/README.md",
        "src/Agno.SemanticKernel/README.md",
        "src/Agno.AgentOS.Hosting/README.md",
        "src/Agno.AgentOS.Hosting.Testing/README.md",
    ];

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (string readme in Readmes)
        {
            var blocks = Snippet.Read(Repository.PathOf(readme));
            for (int i = 0; i < blocks.Count; i++)
            {
                if (!blocks[i].NeedsSemanticKernelAgents)
                {
                    data.Add(readme, i + 1);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Snippets))]
    public void The_snippet_compiles_on_its_own(string readme, int number)
    {
        var snippet = Snippet.Read(Repository.PathOf(readme))[number - 1];

        var errors = Snippet.Compile(snippet.Code);

        Assert.True(errors.Count == 0, $"{readme}, C# block {number} (line {snippet.Line}) does not compile:\n{string.Join("\n", errors)}\n--- code ---\n{snippet.Code}");
    }

    [Fact]
    public void Every_readme_has_snippets_and_the_compiler_rejects_a_broken_one()
    {
        Assert.All(Readmes, r => Assert.NotEmpty(Snippet.Read(Repository.PathOf(r))));
        Assert.True(Snippet.Read(Repository.PathOf("README.md")).Count >= 10);

        var errors = Snippet.Compile("using Agno.AgentOS;\nvar client = new AgentOSClient(new Uri(\"http://localhost:7777\"));\nawait client.NoSuchMethodAsync();");

        Assert.Contains(errors, e => e.Contains("CS1061", StringComparison.Ordinal));
        Assert.Empty(Snippet.Compile("using Agno.AgentOS;\nusing var client = new AgentOSClient(new Uri(\"http://localhost:7777\"));\nConsole.WriteLine(client.BaseAddress);"));
    }
}
