using Agno.Packaging.Tests;
using Xunit;

namespace Agno.SemanticKernel.Agents.Tests;

/// <summary>
/// The C# blocks that use the Semantic Kernel agent packages (this package's README, and those of README.md) compile on
/// their own, here where those packages restore (Agno.Packaging.Tests compiles every other block).
/// </summary>
public sealed class ReadmeSnippetTests
{
    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (string readme in new[] { "README.md", "src/Agno.SemanticKernel.Agents/README.md" })
        {
            var blocks = Snippet.Read(Repository.PathOf(readme));
            for (int i = 0; i < blocks.Count; i++)
            {
                if (blocks[i].NeedsSemanticKernelAgents || readme != "README.md")
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
    public void Both_readmes_have_blocks_for_this_package()
    {
        Assert.Equal(5, Snippet.Read(Repository.PathOf("src/Agno.SemanticKernel.Agents/README.md")).Count);
        Assert.Single(Snippet.Read(Repository.PathOf("README.md")), s => s.NeedsSemanticKernelAgents);
    }
}
