using System.Text;

namespace Agno.SemanticKernel.Internal;

/// <summary>
/// The instructions policy of the SK agent, the same as the chat client of <c>Agno.Extensions.AI</c> follows: AgentOS has no per-run
/// instructions field, so the call's instructions (<c>ChatOptions.Instructions</c>, SK's
/// <c>AdditionalInstructions</c>) and the system messages of the call, wherever they are in the history, lead the
/// text sent for the turn, one <c>system: ...</c> paragraph each, in that order; they are never dropped. (Where
/// history goes as agno's JSON list of messages, they stay messages of role <c>system</c> instead.)
/// </summary>
internal static class TurnText
{
    /// <summary>The label of an instructions paragraph.</summary>
    public const string SystemLabel = "system";

    /// <summary>
    /// <paramref name="body"/> preceded by one <c>system: text</c> paragraph per non-blank instruction text; the body
    /// alone when there is none.
    /// </summary>
    public static string Compose(IReadOnlyList<string> instructions, string body)
    {
        StringBuilder? sb = null;
        foreach (string text in instructions)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            sb = sb is null ? new StringBuilder() : sb.Append("\n\n");
            sb.Append(SystemLabel).Append(": ").Append(text);
        }

        if (sb is null)
        {
            return body;
        }

        if (body.Length > 0)
        {
            sb.Append("\n\n").Append(body);
        }

        return sb.ToString();
    }
}
