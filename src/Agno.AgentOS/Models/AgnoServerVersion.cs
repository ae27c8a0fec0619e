using System.Globalization;
using System.Text.RegularExpressions;

namespace Agno.AgentOS;

/// <summary>
/// The version of the agno AgentOS behind a client, read once from <c>GET /info</c> (<c>agno_version</c>,
/// and on agno 3.x <c>os_version</c>) by <see cref="AgentOSClient.GetServerVersionAsync"/>. Behaviour that
/// differs between agno 2.9 and 3.x keys off it.
/// </summary>
public sealed partial class AgnoServerVersion : IComparable<AgnoServerVersion>
{
    private AgnoServerVersion(string agnoVersion, int major, int minor, int patch, string? preRelease, string? osVersion)
    {
        AgnoVersion = agnoVersion;
        Major = major;
        Minor = minor;
        Patch = patch;
        PreRelease = preRelease;
        OsVersion = osVersion;
    }

    /// <summary>The <c>agno_version</c> as the server sent it (e.g. <c>2.9.0</c>, <c>3.0.0a3</c>).</summary>
    public string AgnoVersion { get; }

    /// <summary>The major version (2, 3, ...).</summary>
    public int Major { get; }

    /// <summary>The minor version.</summary>
    public int Minor { get; }

    /// <summary>The patch version.</summary>
    public int Patch { get; }

    /// <summary>A pre-release suffix (<c>a3</c> of <c>3.0.0a3</c>, <c>rc1</c>, ...), or <see langword="null"/>.</summary>
    public string? PreRelease { get; }

    /// <summary>The OS's own version (<c>os_version</c>, agno 3.x), or <see langword="null"/>.</summary>
    public string? OsVersion { get; }

    /// <summary>Whether the server is agno 3.0 or later (3.0 pre-releases included).</summary>
    public bool IsAgno3OrLater => Major >= 3;

    /// <summary>Whether the server is at least this version (pre-releases of that version count as it).</summary>
    /// <param name="major">The major version.</param>
    /// <param name="minor">The minor version.</param>
    public bool IsAtLeast(int major, int minor = 0) => Major > major || (Major == major && Minor >= minor);

    /// <summary>Reads an agno version (<c>2.9.0</c>, <c>3.0.0a3</c>, <c>3.1.0rc1</c>, <c>3.1</c>).</summary>
    /// <param name="agnoVersion">The <c>agno_version</c> of <c>/info</c>.</param>
    /// <param name="osVersion">The <c>os_version</c> of <c>/info</c>, if any.</param>
    /// <param name="version">The version read.</param>
    /// <returns>Whether the text is a version.</returns>
    public static bool TryParse(string? agnoVersion, string? osVersion, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AgnoServerVersion? version)
    {
        version = null;
        if (string.IsNullOrWhiteSpace(agnoVersion))
        {
            return false;
        }

        var m = VersionPattern().Match(agnoVersion.Trim());
        if (!m.Success
            || !int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int major)
            || !int.TryParse(m.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out int minor))
        {
            return false;
        }

        int patch = 0;
        if (m.Groups[3].Success && !int.TryParse(m.Groups[3].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out patch))
        {
            return false;
        }

        string? pre = m.Groups[4].Value.TrimStart('-', '.');
        version = new AgnoServerVersion(agnoVersion.Trim(), major, minor, patch, pre.Length == 0 ? null : pre, osVersion);
        return true;
    }

    /// <summary>Orders by major, minor, patch; a pre-release comes before its release.</summary>
    /// <param name="other">The version to compare with.</param>
    public int CompareTo(AgnoServerVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = Major.CompareTo(other.Major);
        if (c == 0) { c = Minor.CompareTo(other.Minor); }
        if (c == 0) { c = Patch.CompareTo(other.Patch); }
        if (c == 0)
        {
            c = (PreRelease, other.PreRelease) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => string.CompareOrdinal(PreRelease, other.PreRelease),
            };
        }

        return c;
    }

    /// <summary>The agno version as sent.</summary>
    public override string ToString() => AgnoVersion;

    [GeneratedRegex(@"^v?(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?((?:[-.]?[A-Za-z][0-9A-Za-z.]*)?)(?:\+.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
