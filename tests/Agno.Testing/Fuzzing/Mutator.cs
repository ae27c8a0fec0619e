using System.Text;

namespace Agno.Testing.Fuzzing;

/// <summary>
/// A seeded mutator of recorded answers: the same seed gives the same mutant, so any failure is replayed from its
/// seed alone. Mutations are those a broken or hostile server produces: flipped bits, inserted and deleted bytes,
/// truncation at every kind of boundary, duplicated and swapped lines and SSE events, swapped JSON value types, huge
/// and negative numbers, deep nesting, invalid UTF-8 and lone surrogates.
/// </summary>
public static class Mutator
{
    /// <summary>The kinds of mutation, one of which (or several) is applied to a body.</summary>
    public enum Kind
    {
        BitFlip,
        InsertBytes,
        DeleteBytes,
        TruncateAnywhere,
        TruncateAtBoundary,
        DuplicateLine,
        SwapLines,
        DuplicateEvent,
        SwapEvents,
        DropEvent,
        ReplaceValue,
        DeepNesting,
        InvalidUtf8InString,
        LoneSurrogate,
    }

    private static readonly string[] Values =
    [
        "null", "true", "false", "0", "-1", "1.5", "1e20", "-1e20", "1e400", "99999999999999", "253402300800",
        "-99999999999999", "9223372036854775808", "-9223372036854775809", "\"\"", "\"x\"", "\"\\ud800\"", "\"\\udfff\\ud800\"",
        "{}", "[]", "[null]", "{\"a\":1}", "\"2026-13-45T99:99:99\"", "\"not-a-guid\"", "\"PAUSED\"", "\"NOPE\"",
    ];

    private static readonly byte[][] Inserts =
    [
        "\""u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "\n"u8.ToArray(), "\n\n"u8.ToArray(), "\r"u8.ToArray(), "data: "u8.ToArray(), "event: "u8.ToArray(),
        ": keepalive\n\n"u8.ToArray(), [0xFF], [0xC3], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0x00], "\\"u8.ToArray(),
        "\\u"u8.ToArray(), "null"u8.ToArray(), "retry: 1\n"u8.ToArray(), "id: \0\n"u8.ToArray(),
    ];

    /// <summary>Mutates a body with one to three mutations chosen by the random source.</summary>
    public static (byte[] Body, string Description) Mutate(byte[] original, Random random, bool isEventStream)
    {
        var body = original;
        var applied = new List<string>();
        int count = 1 + (random.Next(4) == 0 ? random.Next(1, 3) : 0);
        for (int i = 0; i < count; i++)
        {
            var kind = (Kind)random.Next(Enum.GetValues<Kind>().Length);
            (body, string what) = Apply(kind, body, random, isEventStream);
            applied.Add(what);
        }

        return (body, string.Join("; ", applied));
    }

    private static (byte[], string) Apply(Kind kind, byte[] body, Random random, bool sse)
    {
        if (body.Length == 0)
        {
            return (Inserts[random.Next(Inserts.Length)], "empty body replaced by a fragment");
        }

        switch (kind)
        {
            case Kind.BitFlip:
            {
                var copy = (byte[])body.Clone();
                int at = random.Next(copy.Length);
                int bit = random.Next(8);
                copy[at] ^= (byte)(1 << bit);
                return (copy, $"bit {bit} flipped at {at}");
            }

            case Kind.InsertBytes:
            {
                int at = random.Next(body.Length + 1);
                byte[] insert = random.Next(3) == 0 ? RandomBytes(random, random.Next(1, 16)) : Inserts[random.Next(Inserts.Length)];
                return ([.. body.AsSpan(0, at), .. insert, .. body.AsSpan(at)], $"{insert.Length} byte(s) inserted at {at}");
            }

            case Kind.DeleteBytes:
            {
                int at = random.Next(body.Length);
                int length = Math.Min(body.Length - at, random.Next(1, 64));
                return ([.. body.AsSpan(0, at), .. body.AsSpan(at + length)], $"{length} byte(s) deleted at {at}");
            }

            case Kind.TruncateAnywhere:
            {
                int at = random.Next(body.Length);
                return (body[..at], $"truncated at {at}");
            }

            case Kind.TruncateAtBoundary:
            {
                // after a frame, a line, a colon, a comma, inside a string: the boundaries parsers care about
                byte[] marks = [(byte)'\n', (byte)':', (byte)',', (byte)'"', (byte)'{', (byte)'['];
                byte mark = marks[random.Next(marks.Length)];
                var positions = Positions(body, mark);
                if (positions.Count == 0)
                {
                    return (body[..(body.Length / 2)], "truncated at the middle");
                }

                int at = positions[random.Next(positions.Count)] + random.Next(2);
                at = Math.Min(at, body.Length);
                return (body[..at], $"truncated at {at} (after '{(char)mark}')");
            }

            case Kind.DuplicateLine or Kind.SwapLines:
            {
                var lines = Split(body, "\n"u8);
                if (lines.Count < 2)
                {
                    return Apply(Kind.BitFlip, body, random, sse);
                }

                int a = random.Next(lines.Count);
                int b = random.Next(lines.Count);
                if (kind == Kind.DuplicateLine)
                {
                    lines.Insert(b, lines[a]);
                }
                else
                {
                    (lines[a], lines[b]) = (lines[b], lines[a]);
                }

                return (Join(lines, "\n"u8), $"{(kind == Kind.DuplicateLine ? "line duplicated" : "lines swapped")} ({a}, {b})");
            }

            case Kind.DuplicateEvent or Kind.SwapEvents or Kind.DropEvent:
            {
                var events = Split(body, "\n\n"u8);
                if (!sse || events.Count < 2)
                {
                    return Apply(Kind.ReplaceValue, body, random, sse);
                }

                int a = random.Next(events.Count);
                int b = random.Next(events.Count);
                string what;
                switch (kind)
                {
                    case Kind.DuplicateEvent:
                        events.Insert(b, events[a]);
                        what = $"event {a} duplicated at {b}";
                        break;
                    case Kind.SwapEvents:
                        (events[a], events[b]) = (events[b], events[a]);
                        what = $"events {a} and {b} swapped";
                        break;
                    default:
                        events.RemoveAt(a);
                        what = $"event {a} dropped";
                        break;
                }

                return (Join(events, "\n\n"u8), what);
            }

            case Kind.ReplaceValue:
            {
                // a value after a key: `":` then the value up to the next , } or ]
                var colons = Positions(body, (byte)':');
                if (colons.Count == 0)
                {
                    return Apply(Kind.BitFlip, body, random, sse);
                }

                int colon = colons[random.Next(colons.Count)];
                if (colon == 0 || body[colon - 1] != (byte)'"')
                {
                    return Apply(Kind.InsertBytes, body, random, sse);
                }

                int end = ValueEnd(body, colon + 1);
                string value = Values[random.Next(Values.Length)];
                return ([.. body.AsSpan(0, colon + 1), .. Encoding.UTF8.GetBytes(value), .. body.AsSpan(end)], $"value at {colon + 1} replaced by {value}");
            }

            case Kind.DeepNesting:
            {
                var colons = Positions(body, (byte)':');
                int at = colons.Count == 0 ? 0 : colons[random.Next(colons.Count)] + 1;
                int depth = random.Next(2) == 0 ? 70 : 5000;
                byte[] nest = [.. Enumerable.Repeat((byte)'[', depth), .. Enumerable.Repeat((byte)']', depth)];
                int end = colons.Count == 0 ? 0 : ValueEnd(body, at);
                return ([.. body.AsSpan(0, at), .. nest, .. body.AsSpan(end)], $"nesting {depth} deep at {at}");
            }

            case Kind.InvalidUtf8InString:
            {
                var quotes = Positions(body, (byte)'"');
                if (quotes.Count == 0)
                {
                    return Apply(Kind.InsertBytes, body, random, sse);
                }

                int at = quotes[random.Next(quotes.Count)] + 1;
                byte[][] bad = [[0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];
                byte[] b = bad[random.Next(bad.Length)];
                return ([.. body.AsSpan(0, Math.Min(at, body.Length)), .. b, .. body.AsSpan(Math.Min(at, body.Length))], $"invalid UTF-8 inside a string at {at}");
            }

            default:
            {
                var quotes = Positions(body, (byte)'"');
                int at = quotes.Count == 0 ? 0 : Math.Min(quotes[random.Next(quotes.Count)] + 1, body.Length);
                byte[] s = random.Next(2) == 0 ? "\\ud800"u8.ToArray() : "\\udc00\\ud800"u8.ToArray();
                return ([.. body.AsSpan(0, at), .. s, .. body.AsSpan(at)], $"lone surrogate at {at}");
            }
        }
    }

    private static int ValueEnd(byte[] body, int start)
    {
        int depth = 0;
        bool inString = false;
        for (int i = start; i < body.Length; i++)
        {
            byte c = body[i];
            if (inString)
            {
                if (c == (byte)'\\') { i++; }
                else if (c == (byte)'"') { inString = false; if (depth == 0) { return i + 1; } }
                continue;
            }

            switch (c)
            {
                case (byte)'"': inString = true; break;
                case (byte)'{' or (byte)'[': depth++; break;
                case (byte)'}' or (byte)']':
                    if (depth == 0) { return i; }
                    depth--;
                    if (depth == 0) { return i + 1; }
                    break;
                case (byte)',' or (byte)'\n' when depth == 0: return i;
            }
        }

        return body.Length;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static List<int> Positions(byte[] body, byte value)
    {
        var list = new List<int>();
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] == value) { list.Add(i); }
        }

        return list;
    }

    private static List<byte[]> Split(byte[] body, ReadOnlySpan<byte> separator)
    {
        var parts = new List<byte[]>();
        var rest = body.AsSpan();
        int at;
        while ((at = rest.IndexOf(separator)) >= 0)
        {
            parts.Add(rest[..at].ToArray());
            rest = rest[(at + separator.Length)..];
        }

        parts.Add(rest.ToArray());
        return parts;
    }

    private static byte[] Join(List<byte[]> parts, ReadOnlySpan<byte> separator)
    {
        using var ms = new MemoryStream();
        for (int i = 0; i < parts.Count; i++)
        {
            if (i > 0) { ms.Write(separator); }
            ms.Write(parts[i]);
        }

        return ms.ToArray();
    }
}
