namespace Ampstack.Host;

/// <summary>The process's exit codes, one per kind of failure to start (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Ran and stopped cleanly (SIGTERM or Ctrl-C included), or printed the help.</summary>
    public const int Ok = 0;

    /// <summary>A bad option or value.</summary>
    public const int Usage = 2;

    /// <summary>The data directory or its database cannot be used (a file in the way, read-only, corrupt, foreign, newer).</summary>
    public const int StoreUnusable = 3;

    /// <summary>The address cannot be listened on (in use, or not this machine's).</summary>
    public const int CannotListen = 4;

    /// <summary>The credential store cannot be used (missing, readable by other users, a bad line, empty).</summary>
    public const int CredentialsUnusable = 5;

    /// <summary><c>ampstack snapshot import</c> read nothing in: not a snapshot, a store not empty, a broken rule, no file.</summary>
    public const int SnapshotRefused = 6;
}
