namespace Ampstack.Aws.Errors;

/// <summary>What the wire layer refused a request for; each service names its error for each.</summary>
public enum WireRefusalKind
{
    /// <summary>The request cannot be read or does not fit the operation's input shape.</summary>
    BadRequest,

    /// <summary>No operation of the service matches the request.</summary>
    NoRoute,
}
