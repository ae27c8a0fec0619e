using System.Diagnostics;
using System.Reflection;
using System.Text;
using Xunit;

namespace Agno.Samples.Tests;

/// <summary>What a sample printed and how it ended.</summary>
/// <param name="Name">The sample's assembly name.</param>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record SampleRun(string Name, int ExitCode, string Output, string Error)
{
    /// <summary>
    /// Asserts that the sample exited with 0, wrote nothing to standard error, and printed each of
    /// <paramref name="expected"/> in this order (each after the previous one).
    /// </summary>
    /// <param name="expected">Fragments of the output, in order.</param>
    public void AssertSucceededPrinting(params string[] expected)
    {
        Assert.True(ExitCode == 0, $"{Name} exited with {ExitCode}.\n{Describe()}");
        Assert.True(Error.Length == 0, $"{Name} wrote to standard error.\n{Describe()}");
        int from = 0;
        foreach (string fragment in expected)
        {
            int at = Output.IndexOf(fragment, from, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{Name} did not print \"{fragment}\" (after position {from}).\n{Describe()}");
            from = at + fragment.Length;
        }
    }

    private string Describe() => $"--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>
/// Runs a sample, as built with this test project, in a child process: <c>dotnet &lt;sample&gt;.dll</c> from its own output
/// folder, offline (the AGNO_* variables that would point it at a real AgentOS are removed), within a time limit.
/// </summary>
public static class SampleProcess
{
    /// <summary>How long a sample may run (they take a few seconds; the limit only stops a hung one).</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    private static readonly string[] ServerVariables = ["AGNO_BASE_URL", "AGNO_API_KEY", "AGNO_AGENT_ID", "AGNO_TEAM_ID", "AGNO_WORKFLOW_ID"];

    /// <summary>The built sample's .dll, as compiled into this assembly by Samples.targets.</summary>
    /// <param name="assemblyName">The sample's assembly name.</param>
    /// <returns>The full path.</returns>
    public static string PathOf(string assemblyName)
    {
        string key = "Sample:" + assemblyName;
        string? path = typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value;
        Assert.True(path is not null, $"No sample '{assemblyName}' is referenced by this test project.");
        Assert.True(File.Exists(path), $"The sample '{assemblyName}' was not built: {path} is missing.");
        Assert.True(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"{path} has no runtimeconfig.json next to it.");
        return path;
    }

    /// <summary>Runs a sample to its end.</summary>
    /// <param name="assemblyName">The sample's assembly name.</param>
    /// <returns>What it printed and its exit code.</returns>
    public static async Task<SampleRun> RunAsync(string assemblyName)
    {
        string dll = PathOf(assemblyName);
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        foreach (string name in ServerVariables)
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{assemblyName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using (var limit = new CancellationTokenSource(TimeLimit))
        {
            try
            {
                await process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                Assert.Fail($"{assemblyName} did not finish within {TimeLimit.TotalSeconds:0} s.\n--- stdout ---\n{await output}\n--- stderr ---\n{await error}");
            }
        }

        return new SampleRun(assemblyName, process.ExitCode, await output, await error);
    }

    /// <summary>The dotnet host running the tests (so the samples run on the same runtime), else <c>dotnet</c> from the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
