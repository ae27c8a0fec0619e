using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Agno.Packaging.Tests;

/// <summary>A C# block of a markdown file, and its compilation.</summary>
internal sealed record Snippet(string Code, int Line)
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
