namespace Ampstack.Aws.Errors;

/// <summary>
/// Errors raised by the wire layer itself (bad JSON, failed constraints, unknown routes). They use the service's own
/// client-error shapes, named here once.
/// </summary>
public static class ProtocolErrors
{
    /// <summary>The service's error shape for invalid requests.</summary>
    public const string BadRequestShape = "BadRequestException";

    /// <summary>The service's error shape for things that do not exist.</summary>
    public const string NotFoundShape = "NotFoundException";

    public static AwsErrorException BadRequest(string message) => new(BadRequestShape, message);

    public static AwsErrorException NoRoute(string method, string path) =>
        new(NotFoundShape, $"No operation matches {method} {path}", status: 404);
}
