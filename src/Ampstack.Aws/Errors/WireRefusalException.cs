namespace Ampstack.Aws.Errors;

/// <summary>
/// A request the wire layer refuses before any service code sees it: unreadable, not what the model allows, or matching
/// no operation. It names no error of any service: the endpoint answers it in the service's own error for the
/// <see cref="Kind"/> (<see cref="Protocols.ServiceOptions.BadRequest"/>, <see cref="Protocols.ServiceOptions.NoRoute"/>).
/// </summary>
public sealed class WireRefusalException : Exception
{
    public WireRefusalException(WireRefusalKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public WireRefusalKind Kind { get; }
}
