using System.Text;

namespace Ampstack.Domain.Common;

/// <summary>
/// A page token that is the last key of the page before, in base64: for lists in key order whose keys a caller may see
/// anyway (ListApps' app ids, a bucket's object keys), so the token needs no secret.
/// </summary>
public static class KeyCursor
{
    public static string Encode(string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>The key a token carries; a token that is not one refuses the request with <paramref name="refusal"/>.</summary>
    public static string Decode(string token, string refusal)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw DomainException.Invalid(refusal);
        }
    }
}
