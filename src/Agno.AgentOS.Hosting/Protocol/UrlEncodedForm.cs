using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> body in time linear in its size: the body is read whole (the
/// request body limit applies while reading), then split on <c>&amp;</c> and <c>=</c> and each part decoded once
/// (<c>+</c> is a space, <c>%XX</c> a byte, UTF-8). Same result as ASP.NET's form reader, whose cost for one value of
/// megabytes grows with the square of its size.
/// </summary>
internal static class UrlEncodedForm
{
    /// <summary>At most this many fields (ASP.NET's default <c>ValueCountLimit</c>).</summary>
    public const int ValueCountLimit = 1024;

    public static bool Is(HttpRequest request)
        => request.ContentType is { } type && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        int capacity = request.ContentLength is > 0 and < int.MaxValue ? (int)request.ContentLength.Value : 4096;
        using var body = new MemoryStream(Math.Min(capacity, Array.MaxLength));
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        return Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
    }

    public static FormCollection Parse(ReadOnlySpan<byte> body)
    {
        var fields = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        int count = 0;
        while (!body.IsEmpty)
        {
            int amp = body.IndexOf((byte)'&');
            var pair = amp < 0 ? body : body[..amp];
            body = amp < 0 ? default : body[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            if (++count > ValueCountLimit)
            {
                throw new InvalidDataException($"Form value count limit {ValueCountLimit} exceeded.");
            }

            int eq = pair.IndexOf((byte)'=');
            string key = Decode(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            fields[key] = fields.TryGetValue(key, out var existing) ? StringValues.Concat(existing, value) : new StringValues(value);
        }

        return new FormCollection(fields);
    }

    private static string Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IndexOfAny((byte)'%', (byte)'+') < 0)
        {
            return Encoding.UTF8.GetString(encoded);
        }

        byte[] rented = ArrayPool<byte>.Shared.Rent(encoded.Length);
        try
        {
            int n = 0;
            for (int i = 0; i < encoded.Length; i++)
            {
                byte b = encoded[i];
                if (b == (byte)'+')
                {
                    rented[n++] = (byte)' ';
                }
                else if (b == (byte)'%' && i + 2 < encoded.Length && Hex(encoded[i + 1]) is int hi and >= 0 && Hex(encoded[i + 2]) is int lo and >= 0)
                {
                    rented[n++] = (byte)((hi << 4) | lo);
                    i += 2;
                }
                else
                {
                    rented[n++] = b;
                }
            }

            return Encoding.UTF8.GetString(rented, 0, n);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
