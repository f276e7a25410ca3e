namespace Ampstack.Domain.Storage;

/// <summary>
/// The store cannot be opened: its message is one sentence naming the place (directory, file or server) and the problem,
/// fit to print as it is. The host stops with its own exit code on it.
/// </summary>
public sealed class StoreOpenException : Exception
{
    public StoreOpenException(string message)
        : base(message)
    {
    }

    public StoreOpenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
