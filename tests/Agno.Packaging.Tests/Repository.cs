using System.Runtime.CompilerServices;

namespace Agno.Packaging.Tests;

/// <summary>The repository this test project was compiled from (found through the source file's path).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find([CallerFilePath] string thisFile = "")
    {
        for (var dir = Path.GetDirectoryName(thisFile); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "Agno.SemanticKernel.sln")))
            {
                return dir;
            }
        }

        throw new InvalidOperationException($"No Agno.SemanticKernel.sln above {thisFile}.");
    }

    public static string PathOf(string relative) => Path.Combine(Root, relative);
}
