namespace Ampstack.Storage.Postgres;

/// <summary>
/// A read run without a transaction (its statement alone is one snapshot) went on to a second statement, which would see
/// another snapshot: the store runs the read again in a transaction. Never leaves the store.
/// </summary>
internal sealed class SnapshotNeededException : Exception
{
    public SnapshotNeededException()
        : base("A read without a transaction issued a second statement.")
    {
    }

    public SnapshotNeededException(string message)
        : base(message)
    {
    }

    public SnapshotNeededException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
