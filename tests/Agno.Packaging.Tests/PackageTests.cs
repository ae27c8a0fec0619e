using System.Diagnostics;
using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace Agno.Packaging.Tests;

/// <summary>
/// Packs the shipped packages as CI does and checks what a user downloads: the package README, the repository and
/// commit, the license, and no absolute path of the build machine anywhere in the package (assemblies included: their
/// PDB path is mapped by the deterministic CI build). The core and the Microsoft.Extensions.AI adapter (a package with a
/// package dependency on the core) are built optimized with <c>ContinuousIntegrationBuild</c> in a configuration of their own
/// (<c>CiRelease</c>: no other build leaves outputs there that incremental builds would reuse); the other packages are
/// packed from this project's own build of them (their metadata comes from the same Directory.Build.props).
/// </summary>
public sealed partial class PackageTests(PackedPackages packed) : IClassFixture<PackedPackages>
{
    public static TheoryData<string> All => new([.. PackedPackages.CiBuilt, .. PackedPackages.FromDebug]);

    [Theory]
    [MemberData(nameof(All))]
    public void The_package_carries_its_readme_license_and_repository(string id)
    {
        using var package = packed.Open(id);
        XNamespace ns = package.Namespace;
        var metadata = package.Metadata;

        Assert.Equal(id, metadata.Element(ns + "id")!.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")!.Value);
        var readme = package.GetEntry("README.md");
        Assert.NotNull(readme);
        Assert.Equal(File.ReadAllText(Repository.PathOf($"src/{id}/README.md")), PackedPackage.Text(readme));

        Assert.Equal("MIT", metadata.Element(ns + "license")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.Null(metadata.Element(ns + "icon"));
        var repository = metadata.Element(ns + "repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.Equal("https://github.com/agno-semantic-kernel/Agno.SemanticKernel", repository.Attribute("url")!.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")!.Value);
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.dll");
        Assert.Contains(package.Entries, e => e.FullName == $"lib/net10.0/{id}.xml"); // XML docs for IntelliSense
    }

    [Theory]
    [MemberData(nameof(All))]
    public void No_text_of_the_package_names_a_path_of_the_build_machine(string id)
    {
        using var package = packed.Open(id);

        foreach (var entry in package.Entries.Where(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) || e.FullName.EndsWith(".md", StringComparison.Ordinal) || e.FullName.EndsWith(".xml", StringComparison.Ordinal)))
        {
            string text = PackedPackage.Text(entry);
            Assert.DoesNotContain(Repository.Root, text, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"(?<![\w/.:])/(home|root|work|tmp|Users)/", text);
            Assert.DoesNotMatch(@"\b[A-Z]:\\", text);
        }
    }

    [Theory]
    [MemberData(nameof(CiBuiltData))]
    public void A_ci_built_assembly_is_deterministic_and_names_no_build_path(string id)
    {
        using var package = packed.Open(id);
        byte[] dll = package.Assembly();
        using var pe = new PEReader(new MemoryStream(dll));
        var entries = pe.ReadDebugDirectory();
        var codeView = pe.ReadCodeViewDebugDirectoryData(Assert.Single(entries, e => e.Type == DebugDirectoryEntryType.CodeView));
        Assert.StartsWith("/_/", codeView.Path, StringComparison.Ordinal);
        Assert.Contains(entries, e => e.Type == DebugDirectoryEntryType.Reproducible);
        Assert.DoesNotContain(Repository.Root, System.Text.Encoding.UTF8.GetString(dll), StringComparison.Ordinal);
    }

    [Fact]
    public void An_adapter_depends_on_the_core_as_a_package_of_the_same_version()
    {
        using var core = packed.Open("Agno.AgentOS");
        using var adapter = packed.Open("Agno.Extensions.AI");
        string version = core.Metadata.Element(core.Namespace + "version")!.Value;

        var dependency = adapter.Dependencies.Single(d => d.Attribute("id")!.Value == "Agno.AgentOS");

        Assert.Equal(version, dependency.Attribute("version")!.Value);
        Assert.Contains(adapter.Dependencies, d => d.Attribute("id")!.Value == "Microsoft.Extensions.AI");
    }

    [Fact]
    public void The_test_doubles_and_the_embedded_server_ship_in_the_testing_package_not_in_the_host()
    {
        using var host = packed.Open("Agno.AgentOS.Hosting");
        using var testing = packed.Open("Agno.AgentOS.Hosting.Testing");
        string[] doubles = ["EchoChatClient", "ScriptedChatClient", "ScriptedChatContext", "EmbeddedAgentOS"];

        var hostTypes = host.PublicTypeNames();
        var testingTypes = testing.PublicTypeNames();
        var testingDependencies = testing.DependencyIds;
        var hostDependencies = host.DependencyIds;

        Assert.Contains("AgentOSHostBuilder", hostTypes);
        Assert.Empty(hostTypes.Intersect(doubles));
        Assert.Equal(doubles.Order(), testingTypes.Intersect(doubles).Order());
        Assert.Contains("Agno.AgentOS.Hosting", testingDependencies);
        Assert.DoesNotContain("Agno.AgentOS.Hosting.Testing", hostDependencies);
    }

    [Fact]
    public void SQLite_ships_in_its_own_package_and_the_host_package_brings_no_native_SQLite()
    {
        using var host = packed.Open("Agno.AgentOS.Hosting");
        using var sqlite = packed.Open("Agno.AgentOS.Hosting.Sqlite");
        var hostDependencies = host.DependencyIds;
        var sqliteDependencies = sqlite.DependencyIds;

        Assert.DoesNotContain(hostDependencies, d => d.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || d.StartsWith("SQLitePCLRaw", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Entries, e => e.FullName.StartsWith("runtimes/", StringComparison.Ordinal));
        Assert.DoesNotContain("SqliteAgentOSSessionStore", host.PublicTypeNames());
        Assert.Contains("SqliteAgentOSSessionStore", sqlite.PublicTypeNames());
        Assert.Contains("Agno.AgentOS.Hosting", sqliteDependencies);
        Assert.Contains("Microsoft.Data.Sqlite", sqliteDependencies);
    }

    [Fact]
    public void The_user_input_request_as_an_MEAI_content_is_one_public_type_of_the_MEAI_adapter()
    {
        using var adapter = packed.Open("Agno.Extensions.AI");
        using var host = packed.Open("Agno.AgentOS.Hosting");
        using var testing = packed.Open("Agno.AgentOS.Hosting.Testing");

        var contents = new[] { adapter, host, testing }
            .SelectMany(p => p.PublicTypes().Where(t => t.BaseName is "InputRequestContent" or "InputResponseContent").Select(t => $"{p.Id}:{t.Name}"))
            .Order()
            .ToList();

        Assert.Equal(["Agno.Extensions.AI:AgnoInputRequestContent", "Agno.Extensions.AI:AgnoInputResponseContent"], contents);
    }

    public static TheoryData<string> CiBuiltData => new(PackedPackages.CiBuilt);
}

/// <summary>Packs the packages once for the class (a child <c>dotnet msbuild</c> on a generated project).</summary>
public sealed class PackedPackages : IDisposable
{
    public static readonly string[] CiBuilt = ["Agno.AgentOS", "Agno.Extensions.AI"];
    public static readonly string[] FromDebug = ["Agno.Agents.AI", "Agno.SemanticKernel", "Agno.AgentOS.Hosting", "Agno.AgentOS.Hosting.Testing", "Agno.AgentOS.Hosting.Sqlite"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agno-pack-" + Guid.NewGuid().ToString("N"));

    public PackedPackages()
    {
        Directory.CreateDirectory(_dir);
        string Projects(IEnumerable<string> ids) => string.Join(";", ids.Select(id => Repository.PathOf($"src/{id}/{id}.csproj")));
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string proj = Path.Combine(_dir, "pack.proj");
        File.WriteAllText(proj, $"""
            <Project>
              <Target Name="PackAll">
                <MSBuild Projects="{Projects(CiBuilt)}" Targets="Pack" BuildInParallel="true"
                         Properties="Configuration=CiRelease;Optimize=true;ContinuousIntegrationBuild=true;PackageOutputPath={_dir}" />
                <MSBuild Projects="{Projects(FromDebug)}" Targets="Pack" BuildInParallel="true"
                         Properties="Configuration={configuration};NoBuild=true;PackageOutputPath={_dir}" />
              </Target>
            </Project>
            """);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _dir,
        };
        foreach (string arg in new[] { "msbuild", proj, "-t:PackAll", "-m", "-nologo", "-v:m", "-nr:false" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("dotnet pack took more than 8 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Packing failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        }
    }

    public PackedPackage Open(string id)
    {
        string path = Assert.Single(Directory.GetFiles(_dir, $"{id}.*.nupkg"), p => Regex.IsMatch(Path.GetFileName(p), $@"^{Regex.Escape(id)}\.\d+\.\d+\.\d+(-[\w.]+)?\.nupkg$"));
        return new PackedPackage(id, ZipFile.OpenRead(path));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

/// <summary>A packed package opened for reading: its files, its nuspec (metadata and dependencies) and its assembly.</summary>
public sealed class PackedPackage(string id, ZipArchive zip) : IDisposable
{
    private XDocument? _nuspec;

    public string Id => id;

    public IReadOnlyCollection<ZipArchiveEntry> Entries => zip.Entries;

    public XDocument Nuspec => _nuspec ??= LoadNuspec();

    /// <summary>The XML namespace of the nuspec's elements.</summary>
    public XNamespace Namespace => Nuspec.Root!.Name.Namespace;

    /// <summary>The nuspec's <c>metadata</c> element.</summary>
    public XElement Metadata => Nuspec.Root!.Element(Namespace + "metadata")!;

    /// <summary>The nuspec's <c>dependency</c> elements (of every target framework group).</summary>
    public IReadOnlyList<XElement> Dependencies => [.. Nuspec.Descendants(Namespace + "dependency")];

    /// <summary>The ids of the package's dependencies.</summary>
    public IReadOnlyList<string> DependencyIds => [.. Dependencies.Select(d => d.Attribute("id")!.Value)];

    public ZipArchiveEntry? GetEntry(string name) => zip.GetEntry(name);

    /// <summary>The bytes of the package's assembly (<c>lib/net10.0/{id}.dll</c>).</summary>
    public byte[] Assembly()
    {
        using var dll = new MemoryStream();
        using (var stream = zip.GetEntry($"lib/net10.0/{id}.dll")!.Open())
        {
            stream.CopyTo(dll);
        }

        return dll.ToArray();
    }

    /// <summary>The public types of the package's assembly with the name of the type each derives from.</summary>
    public List<(string Name, string? BaseName)> PublicTypes()
    {
        using var pe = new PEReader(new MemoryStream(Assembly()));
        var metadata = pe.GetMetadataReader();
        string? NameOf(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeReference => metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)handle).Name),
            HandleKind.TypeDefinition => metadata.GetString(metadata.GetTypeDefinition((TypeDefinitionHandle)handle).Name),
            _ => null,
        };
        return [.. metadata.TypeDefinitions.Select(metadata.GetTypeDefinition)
            .Where(t => (t.Attributes & System.Reflection.TypeAttributes.VisibilityMask) == System.Reflection.TypeAttributes.Public)
            .Select(t => (metadata.GetString(t.Name), t.BaseType.IsNil ? null : NameOf(t.BaseType)))];
    }

    /// <summary>The public type names of the package's assembly.</summary>
    public List<string> PublicTypeNames() => [.. PublicTypes().Select(t => t.Name)];

    /// <summary>The text of an entry of the package.</summary>
    public static string Text(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }

    public void Dispose() => zip.Dispose();

    private XDocument LoadNuspec()
    {
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }
}
