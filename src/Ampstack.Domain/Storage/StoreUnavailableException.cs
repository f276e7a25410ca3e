namespace Ampstack.Domain.Storage;

/// <summary>
/// The store cannot do the work now, for a reason outside the request: its disk is full or read-only, or it stayed
/// locked past its timeout. Nothing was changed; the same request may succeed later. The wire layer answers it with the
/// service's retryable 429, never a 5xx.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception innerException) : Exception(message, innerException);
