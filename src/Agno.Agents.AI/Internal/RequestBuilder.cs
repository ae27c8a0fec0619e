using System.Text;
using Agno.AgentOS;
using Microsoft.Extensions.AI;

namespace Agno.Agents.AI.Internal;

/// <summary>
/// Turns the new messages of a MAF run into the text of an AgentOS run. MAF hands an agent only the messages that are
/// new to its session, and AgentOS keeps the session's history, so every message given is sent, once:
/// <list type="bullet">
/// <item>system messages lead the text, one <c>system: ...</c> paragraph each (AgentOS has no per-run instructions);</item>
/// <item>a single other message is sent as its text;</item>
/// <item>several (a fresh session seeded with earlier turns, or the conversation a MAF workflow hands on) are sent as
/// a plain-text transcript, one <c>name: text</c> paragraph per message, the name being the message's author name or
/// else its role: text every agent, team and workflow reads as its input, never a JSON document in a message.</item>
/// </list>
/// Messages without text (tool calls and results that ran on the server, usage) are not sent. Images, audio, video
/// and documents (<see cref="DataContent"/>, <see cref="UriContent"/>) of non-assistant messages become the run's
/// media (<c>images</c>, <c>audio</c>, <c>videos</c>, <c>input_files</c>).
/// </summary>
internal static class RequestBuilder
{
    public static RunRequest Build(IReadOnlyList<ChatMessage> messages, string? sessionId, string? userId)
    {
        var system = new List<string>(1);
        var turns = new List<ChatMessage>(messages.Count);
        var request = new RunRequest(string.Empty) { SessionId = sessionId, UserId = userId };
        foreach (var m in messages)
        {
            if (m is null)
            {
                throw new ArgumentException("The messages contain null.", nameof(messages));
            }

            if (m.Role != ChatRole.Assistant)
            {
                AddMedia(request, m);
            }

            if (m.Text is not { Length: > 0 } || string.IsNullOrWhiteSpace(m.Text))
            {
                continue;
            }

            if (m.Role == ChatRole.System)
            {
                system.Add(m.Text);
            }
            else
            {
                turns.Add(m);
            }
        }

        bool media = request.Images.Count + request.Audio.Count + request.Videos.Count + request.InputFiles.Count > 0;
        if (turns.Count == 0 && system.Count == 0 && !media)
        {
            throw new ArgumentException("The messages carry no input: an AgentOS run needs text or media (or answers to a paused run).", nameof(messages));
        }

        var sb = new StringBuilder();
        foreach (var s in system)
        {
            Paragraph(sb).Append("system: ").Append(s);
        }

        if (turns.Count == 1 && turns[0].Role == ChatRole.User)
        {
            Paragraph(sb).Append(turns[0].Text);
        }
        else
        {
            foreach (var m in turns)
            {
                Paragraph(sb).Append(m.AuthorName is { Length: > 0 } author ? author : m.Role.Value).Append(": ").Append(m.Text);
            }
        }

        request.Message = sb.ToString();
        return request;
    }

    private static void AddMedia(RunRequest request, ChatMessage message)
    {
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case DataContent data:
                    ListFor(request, data.MediaType).Add(MediaItem.FromBytes(data.Data, data.MediaType, data.Name));
                    break;
                case UriContent uri:
                    ListFor(request, uri.MediaType).Add(MediaItem.FromUrl(uri.Uri, uri.MediaType));
                    break;
            }
        }
    }

    private static IList<MediaItem> ListFor(RunRequest request, string mediaType)
    {
        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return request.Images;
        }

        if (mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
        {
            return request.Audio;
        }

        return mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? request.Videos : request.InputFiles;
    }

    private static StringBuilder Paragraph(StringBuilder sb) => sb.Length == 0 ? sb : sb.Append("\n\n");
}
