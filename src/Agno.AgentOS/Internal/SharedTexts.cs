using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Agno.AgentOS.Internal;

/// <summary>
/// One string for identical large texts of one buffered answer. A run's answer repeats its text: the output's
/// <c>content</c>, the assistant message's content, the user message's content when it is echoed, the stored events:
/// decoded one by one, a 20 MB text becomes several 40 MB UTF-16 strings. While one answer is decoded (on its thread,
/// <see cref="Enter"/>), a content string of at least <see cref="MinBytes"/> of JSON text is compared, byte for byte, with
/// the last few large texts of the same body; an identical one gives the string already made. Equal JSON text is the
/// same string; texts escaped differently are simply not shared.
/// </summary>
internal sealed class SharedTexts
{
    /// <summary>The JSON text length from which a string is looked up (smaller ones cost less to decode than to compare).</summary>
    internal const int MinBytes = 64 * 1024;

    private const int Kept = 4;

    [ThreadStatic]
    private static SharedTexts? t_current;

    private readonly byte[] _body;
    private readonly int _length;
    private readonly Entry[] _entries = new Entry[Kept];
    private int _next;

    private SharedTexts(byte[] body, int length)
    {
        _body = body;
        _length = length;
    }

    /// <summary>How many strings were handed out again instead of being decoded (for tests).</summary>
    internal int Shared { get; private set; }

    /// <summary>The decode in progress on this thread, if its body is large enough to repeat a large text.</summary>
    internal static SharedTexts? Current => t_current;

    /// <summary>
    /// Starts sharing the large texts of <paramref name="body"/> (its first <paramref name="length"/> bytes) on this
    /// thread, until the returned scope is disposed; a body too small to hold two large texts starts nothing.
    /// </summary>
    public static Scope Enter(byte[] body, int length)
    {
        var previous = t_current;
        t_current = length >= 2 * MinBytes ? new SharedTexts(body, length) : null;
        return new Scope(previous);
    }

    /// <summary>
    /// The string of the reader's current string token, which is at least <see cref="MinBytes"/> long and in one
    /// segment: the string of an identical earlier text of the body, or a new one (then remembered).
    /// </summary>
    public string GetString(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        nint offset = Unsafe.ByteOffset(ref MemoryArrayStart, ref MemoryMarshal.GetReference(raw));
        if (offset < 0 || offset > _length - raw.Length)
        {
            return reader.GetString()!; // not a slice of this body (a reader over other bytes)
        }

        foreach (var entry in _entries)
        {
            if (entry.Text is not null && entry.Length == raw.Length
                && (entry.Offset == offset || _body.AsSpan(entry.Offset, entry.Length).SequenceEqual(raw)))
            {
                Shared++;
                return entry.Text;
            }
        }

        string text = reader.GetString()!;
        _entries[_next] = new Entry((int)offset, raw.Length, text);
        _next = (_next + 1) % Kept;
        return text;
    }

    private ref byte MemoryArrayStart => ref MemoryMarshal.GetArrayDataReference(_body);

    private readonly record struct Entry(int Offset, int Length, string? Text);

    /// <summary>Ends the sharing of one decode (restores the one around it, if any).</summary>
    public readonly struct Scope(SharedTexts? previous) : IDisposable
    {
        public void Dispose() => t_current = previous;
    }
}
