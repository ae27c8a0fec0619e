using System.Text;

namespace Agno.Agents.AI.Internal;

/// <summary>Author names as chat APIs accept them in a message's <c>name</c>: letters, digits, '_' and '-', at most 64.</summary>
internal static class ChatNames
{
    public static string? Sanitize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var sb = new StringBuilder(Math.Min(name.Length, 64));
        bool lastUnderscore = false;
        foreach (char c in name.Trim())
        {
            if (sb.Length == 64)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit(c) || c == '-')
            {
                sb.Append(c);
                lastUnderscore = false;
            }
            else if (!lastUnderscore)
            {
                sb.Append('_');
                lastUnderscore = true;
            }
        }

        string result = sb.ToString().Trim('_');
        return result.Length == 0 ? null : result;
    }
}
