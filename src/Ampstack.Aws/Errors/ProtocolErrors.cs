namespace Ampstack.Aws.Errors;

/// <summary>
/// Refusals raised by the wire layer itself (bad JSON, failed constraints, unknown routes). They name no service's error:
/// the endpoint answers each in the error the service gives for its kind (<see cref="Protocols.ServiceOptions"/>).
/// </summary>
public static class ProtocolErrors
{
    public static WireRefusalException BadRequest(string message) => new(WireRefusalKind.BadRequest, message);

    public static WireRefusalException NoRoute(string method, string path) =>
        new(WireRefusalKind.NoRoute, $"No operation matches {method} {path}");
}
