using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Agno.AgentOS.Hosting.Internal;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> body in time linear in its size: the body is read whole into one
/// pooled buffer (its declared length at once, or grown by doubling; the request body limit applies while reading),
/// then split on <c>&amp;</c> and <c>=</c> and each part decoded once, in place (<c>+</c> is a space, <c>%XX</c> a
/// byte, UTF-8), into its string: a message of megabytes is copied twice (the network's bytes into the buffer, the
/// buffer into the string). Same result as ASP.NET's form reader, whose cost for one value of megabytes grows with
/// the square of its size.
/// </summary>
internal static class UrlEncodedForm
{
    /// <summary>At most this many fields (ASP.NET's default <c>ValueCountLimit</c>).</summary>
    public const int ValueCountLimit = 1024;

    public static bool Is(HttpRequest request)
        => request.ContentType is { } type && type.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    public static async Task<IFormCollection> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // the declared length at once, but never more than the body limit allows (a larger body fails on the first read)
        long limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? long.MaxValue;
        long declared = request.ContentLength ?? 0;
        int capacity = (int)Math.Clamp(Math.Min(declared, limit) + 1, 4096, Array.MaxLength); // + 1: the end is seen without a second buffer
        byte[] buffer = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length == Array.MaxLength)
                    {
                        throw new InvalidDataException("The form body is too large.");
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return Parse(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The fields of <paramref name="body"/>, which is decoded in place (its bytes are overwritten).</summary>
    public static FormCollection Parse(Span<byte> body)
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

    /// <summary>Decodes <paramref name="encoded"/> in place (a decoded byte is never after its encoded form), then into a string.</summary>
    private static string Decode(Span<byte> encoded)
    {
        int next = encoded.IndexOfAny((byte)'%', (byte)'+');
        if (next < 0)
        {
            return Encoding.UTF8.GetString(encoded);
        }

        int n = next;
        for (int i = next; i < encoded.Length; i++)
        {
            byte b = encoded[i];
            if (b == (byte)'+')
            {
                encoded[n++] = (byte)' ';
            }
            else if (b == (byte)'%' && i + 2 < encoded.Length && Hex(encoded[i + 1]) is int hi and >= 0 && Hex(encoded[i + 2]) is int lo and >= 0)
            {
                encoded[n++] = (byte)((hi << 4) | lo);
                i += 2;
            }
            else
            {
                encoded[n++] = b;
            }
        }

        return Encoding.UTF8.GetString(encoded[..n]);
    }

    private static int Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
