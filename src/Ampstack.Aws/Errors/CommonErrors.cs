namespace Ampstack.Aws.Errors;

/// <summary>AWS's common errors that every service can return, outside its own model.</summary>
public static class CommonErrors
{
    public static AwsErrorException MissingAuthenticationToken() =>
        new("MissingAuthenticationTokenException", "Missing Authentication Token", status: 403);

    public static AwsErrorException IncompleteSignature(string detail) =>
        new("IncompleteSignatureException", detail, status: 403);

    public static AwsErrorException InvalidSignature(string detail) =>
        new("InvalidSignatureException", detail, status: 403);

    public static AwsErrorException UnrecognizedClient() =>
        new("UnrecognizedClientException", "The security token included in the request is invalid.", status: 403);

    /// <summary>AWS's common throttling error, for services whose model has none of its own.</summary>
    public static AwsErrorException Throttling(TimeSpan retryAfter) =>
        new("ThrottlingException", "Rate exceeded", status: 400) { Headers = RetryAfter(retryAfter) };

    /// <summary>A <c>Retry-After</c> header: whole seconds, at least one.</summary>
    public static IReadOnlyDictionary<string, string> RetryAfter(TimeSpan wait) => new Dictionary<string, string>
    {
        ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>AWS's common error for input that is not valid, for services whose model has no error of its own for it.</summary>
    public static AwsErrorException ValidationError(string message) => new("ValidationError", message, status: 400);

    /// <summary>AWS's common error for a request that names no operation of the service.</summary>
    public static AwsErrorException InvalidAction(string message) => new("InvalidAction", message, status: 400);

    public static AwsErrorException InternalFailure(string requestId) =>
        new("InternalFailure", $"The server failed to handle the request (request id {requestId}).", status: 500);
}
