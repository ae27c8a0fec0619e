using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Agno.Packaging.Tests;

/// <summary>
/// Every <c>```csharp</c> block of README.md and of the package READMEs compiles on its own, as a console program
/// (top-level statements, the console template's implicit usings) referencing the packages: a reader can paste any one
/// of them into a new project. Blocks that use the Semantic Kernel agent packages are compiled by
/// Agno.SemanticKernel.Agents.Tests, where those packages restore.
/// </summary>
public sealed partial class ReadmeSnippetTests
{
    public static readonly string[] Readmes =
    [
        "README.md",
        "src/Agno.AgentOS/README.md",
        "src/Agno.Extensions.AI/README.md",
        "src/Agno.Agents.AI/README.md",
        "src/Agno.SemanticKernel/README.md",
        "src/Agno.AgentOS.Hosting/README.md",
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

/// <summary>A C# block of a markdown file, and its compilation.</summary>
internal sealed partial record Snippet(string Code, int Line)
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    // The console template's implicit usings.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public bool NeedsSemanticKernelAgents => Code.Contains("Microsoft.SemanticKernel.Agents", StringComparison.Ordinal) || Code.Contains("Agno.SemanticKernel.Agents", StringComparison.Ordinal);

    public static List<Snippet> Read(string markdown)
    {
        var lines = File.ReadAllLines(markdown);
        var snippets = new List<Snippet>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            int start = i + 1;
            int end = start;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            snippets.Add(new Snippet(string.Join("\n", lines[start..end]), start + 1));
            i = end;
        }

        return snippets;
    }

    /// <summary>Compiles the code as a console program; returns its errors (warnings are not errors here).</summary>
    public static List<string> Compile(string code)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(code, options, path: "Program.cs"),
            CSharpSyntaxTree.ParseText(ImplicitUsings, options, path: "GlobalUsings.cs"),
        };
        bool hasStatements = trees[0].GetCompilationUnitRoot().Members.Any(m => m is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            trees,
            References.Value,
            new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return
        [
            .. compilation.GetDiagnostics()
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => $"{d.Id} at {d.Location.GetLineSpan().StartLinePosition.Line + 1}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"),
        ];
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("Agno.Packaging.Tests", StringComparison.Ordinal))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First());
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }
}
