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

    public static AwsErrorException InternalFailure(string requestId) =>
        new("InternalFailure", $"The server failed to handle the request (request id {requestId}).", status: 500);
}
