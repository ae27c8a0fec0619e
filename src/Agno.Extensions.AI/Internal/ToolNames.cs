namespace Agno.Extensions.AI.Internal;

/// <summary>Tool names every LLM provider accepts: <c>^[a-zA-Z0-9_-]{1,64}$</c>.</summary>
internal static class ToolNames
{
    public const int MaxLength = 64;

    public static string Sanitize(string id)
    {
        var chars = new char[Math.Min(id.Length, MaxLength)];
        int n = 0;
        foreach (char c in id)
        {
            if (n == chars.Length)
            {
                break;
            }

            chars[n++] = char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_';
        }

        return n == 0 ? "agno_component" : new string(chars, 0, n);
    }

    /// <summary>A name not in <paramref name="used"/>: the name, else the name with a numeric suffix (still 64 characters at most).</summary>
    public static string Unique(string name, HashSet<string> used)
    {
        if (used.Add(name))
        {
            return name;
        }

        for (int i = 2; ; i++)
        {
            string suffix = "_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string candidate = (name.Length + suffix.Length > MaxLength ? name[..(MaxLength - suffix.Length)] : name) + suffix;
            if (used.Add(candidate))
            {
                return candidate;
            }
        }
    }
}
