namespace Ampstack.Domain.Common;

/// <summary>A domain rule refused a request. The wire layer maps the kind to the service's error shapes.</summary>
public sealed class DomainException : Exception
{
    private DomainException(DomainErrorKind kind, string message, string? resourceType)
        : base(message)
    {
        Kind = kind;
        ResourceType = resourceType;
    }

    public DomainErrorKind Kind { get; }

    /// <summary>For <see cref="DomainErrorKind.NotFound"/>: what was not found (<c>App</c>, <c>BackendEnvironment</c>, ...).</summary>
    public string? ResourceType { get; }

    public static DomainException Invalid(string message) => new(DomainErrorKind.Invalid, message, null);

    public static DomainException NotFound(string resourceType, string message) => new(DomainErrorKind.NotFound, message, resourceType);

    public static DomainException LimitExceeded(string message) => new(DomainErrorKind.LimitExceeded, message, null);
}
