using Ampstack.Aws.Auth;

namespace Ampstack.Host;

/// <summary>The credential store cannot be used: the file is missing, readable by others, or has a bad line.</summary>
public sealed class CredentialStoreException(string message) : Exception(message);

/// <summary>
/// The strict authenticator's credentials, from <c>--credentials FILE</c> and <c>AMPSTACK_CREDENTIALS</c>. Read at start
/// and again on SIGHUP (<see cref="Reload"/>); a reload that fails keeps the credentials already loaded.
/// </summary>
public sealed class CredentialStore : ICredentialSource
{
    private readonly string? _file;
    private readonly string? _inline;
    private volatile CredentialSet _current;

    private CredentialStore(string? file, string? inline)
    {
        _file = file;
        _inline = inline;
        _current = Read(file, inline);
    }

    public CredentialSet Current => _current;

    /// <summary>The store the options configure, or null when auth is lenient; throws <see cref="CredentialStoreException"/>.</summary>
    public static CredentialStore? Open(ServerOptions options) =>
        options.CredentialsFile is null && options.InlineCredentials is null
            ? null
            : new CredentialStore(options.CredentialsFile, options.InlineCredentials);

    /// <summary>Reads the sources again and swaps the credentials whole; throws <see cref="CredentialStoreException"/>.</summary>
    public int Reload()
    {
        _current = Read(_file, _inline);
        return _current.Count;
    }

    private static CredentialSet Read(string? file, string? inline)
    {
        var sources = new List<(string, IEnumerable<string>)>();
        if (file is not null)
        {
            sources.Add((file, ReadFile(file)));
        }

        if (inline is not null)
        {
            sources.Add(("AMPSTACK_CREDENTIALS", inline.Split(';')));
        }

        try
        {
            var set = CredentialSet.Parse(sources);
            return set.Count > 0 ? set : throw new CredentialStoreException(
                "The credential store is empty: strict auth would let nobody in. Add a line 'accessKeyId secretAccessKey accountId'.");
        }
        catch (FormatException ex)
        {
            throw new CredentialStoreException(ex.Message);
        }
    }

    private static string[] ReadFile(string file)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(file);
                const UnixFileMode others =
                    UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
                if ((mode & others) != 0)
                {
                    throw new CredentialStoreException(
                        $"{file} holds secrets but other users can read or write it (mode {Convert.ToString((int)mode, 8)}); "
                        + $"run 'chmod 600 {file}' and start again.");
                }
            }

            return File.ReadAllLines(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"Cannot read the credentials file {file}: {ex.Message}");
        }
    }
}
