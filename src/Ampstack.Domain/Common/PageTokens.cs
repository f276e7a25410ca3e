using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ampstack.Domain.Common;

/// <summary>
/// Opaque, tamper-evident <c>nextToken</c>s: the page position plus the context it belongs to (partition, app,
/// environment, filters), signed with HMAC-SHA256 under a secret kept in the store, so any node sharing the store
/// accepts it. A token that is forged, altered, or used with another context is refused.
/// </summary>
public sealed class PageTokens(byte[] secret)
{
    public string Issue(string context, string position)
    {
        var payload = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { context, position }, PageTokenJson.Default.StringArray));
        return $"{Base64Url(payload)}.{Base64Url(Mac(payload))}";
    }

    /// <summary>The position a token carries; throws <see cref="DomainException"/> when it is not valid for the context.</summary>
    public string Read(string token, string context, string member)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        try
        {
            if (dot > 0)
            {
                var payload = FromBase64Url(token[..dot]);
                var mac = FromBase64Url(token[(dot + 1)..]);
                if (CryptographicOperations.FixedTimeEquals(mac, Mac(payload))
                    && JsonSerializer.Deserialize(payload, PageTokenJson.Default.StringArray) is [var issuedFor, var position]
                    && issuedFor == context)
                {
                    return position;
                }
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            // Falls through to the refusal below.
        }

        throw DomainException.Invalid($"Invalid '{member}': it was not issued by this service for this request.");
    }

    private byte[] Mac(byte[] payload) => HMACSHA256.HashData(secret, payload);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}

/// <summary>A token's payload, [context, position], written without reflection.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class PageTokenJson : JsonSerializerContext;
