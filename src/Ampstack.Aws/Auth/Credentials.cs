using System.Globalization;

namespace Ampstack.Aws.Auth;

/// <summary>A credential of the store: a key, its secret, the account it acts for, and a session token if temporary.</summary>
public sealed class Credential(string accessKeyId, string secretAccessKey, string accountId, string? sessionToken)
{
    public string AccessKeyId { get; } = accessKeyId;

    public string SecretAccessKey { get; } = secretAccessKey;

    public string AccountId { get; } = accountId;

    /// <summary>When set, the key is accepted only with this <c>X-Amz-Security-Token</c>.</summary>
    public string? SessionToken { get; } = sessionToken;

    /// <summary>Never the secret or the token: this may end up in a log.</summary>
    public override string ToString() => $"{AccessKeyId} (account {AccountId})";
}

/// <summary>
/// The credential store's content: lines of <c>accessKeyId secretAccessKey accountId [sessionToken]</c>, <c>#</c>
/// comments and blank lines ignored. A bad line is refused with its source and line number, never its text (it may hold
/// a secret).
/// </summary>
public sealed class CredentialSet
{
    private readonly Dictionary<string, Credential> _byKey;

    private CredentialSet(Dictionary<string, Credential> byKey) => _byKey = byKey;

    public static CredentialSet Empty { get; } = new([]);

    public int Count => _byKey.Count;

    public Credential? Find(string accessKeyId) => _byKey.GetValueOrDefault(accessKeyId);

    /// <summary>Reads the lines of each source (its name, for messages, and its lines); throws <see cref="FormatException"/>.</summary>
    public static CredentialSet Parse(IEnumerable<(string Source, IEnumerable<string> Lines)> sources)
    {
        var byKey = new Dictionary<string, Credential>(StringComparer.Ordinal);
        foreach (var (source, lines) in sources)
        {
            var number = 0;
            foreach (var raw in lines)
            {
                number++;
                var comment = raw.IndexOf('#', StringComparison.Ordinal);
                var line = (comment >= 0 ? raw[..comment] : raw).Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                var where = $"{source}, line {number.ToString(CultureInfo.InvariantCulture)}";
                if (fields.Length is < 3 or > 4)
                {
                    throw new FormatException(
                        $"{where}: expected 'accessKeyId secretAccessKey accountId [sessionToken]', found {fields.Length} fields.");
                }

                if (fields[0].Length > SigV4Parameters.MaxAccessKeyLength || fields[0].Contains('/', StringComparison.Ordinal))
                {
                    throw new FormatException(
                        $"{where}: the access key id must be at most {SigV4Parameters.MaxAccessKeyLength} characters, without '/'.");
                }

                if (fields[2].Length != 12 || !fields[2].All(char.IsAsciiDigit))
                {
                    throw new FormatException($"{where}: the account id must be 12 digits.");
                }

                if (!byKey.TryAdd(fields[0], new Credential(fields[0], fields[1], fields[2], fields.Length == 4 ? fields[3] : null)))
                {
                    throw new FormatException($"{where}: access key id {fields[0]} is listed twice.");
                }
            }
        }

        return new CredentialSet(byKey);
    }
}

/// <summary>Where the strict authenticator looks keys up: the store as last loaded (a reload swaps it whole).</summary>
public interface ICredentialSource
{
    CredentialSet Current { get; }
}
