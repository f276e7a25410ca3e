namespace Ampstack.Domain.Common;

/// <summary>The closed set of ways a domain operation can refuse a request.</summary>
public enum DomainErrorKind
{
    /// <summary>The request is invalid or conflicts with the current state.</summary>
    Invalid,

    /// <summary>Something the request names does not exist.</summary>
    NotFound,

    /// <summary>The request would take something past the service's limit for it (an app's branches).</summary>
    LimitExceeded,
}
