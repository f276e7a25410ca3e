using System.Text.Json.Nodes;

namespace Ampstack.Aws.Client;

/// <summary>
/// The endpoint answered with an error: its code (the json protocols' <c>__type</c> or <c>x-amzn-ErrorType</c>, the XML
/// protocols' <c>&lt;Code&gt;</c>, else the HTTP status as botocore reports it), its message and status, and, when the
/// code is one of the model's error shapes, that shape and its members.
/// </summary>
public sealed class AwsServiceException : AwsClientException
{
    internal AwsServiceException(string service, string operation, ServiceError error, int attempts)
        : base(service, operation, Describe(service, operation, error, attempts))
    {
        ErrorCode = error.Code;
        ErrorMessage = error.Message;
        StatusCode = error.Status;
        RequestId = error.RequestId;
        ErrorShape = error.Shape;
        Members = error.Members;
        Attempts = attempts;
        RetryAfter = error.RetryAfter;
    }

    /// <summary>The code the error travels under (<c>InvalidPasswordException</c>, <c>NoSuchEntity</c>, or <c>404</c>).</summary>
    public string ErrorCode { get; }

    /// <summary>The endpoint's own message (empty when it gave none).</summary>
    public string ErrorMessage { get; }

    public int StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>The model's error shape for the code (<c>NoSuchEntityException</c> for <c>NoSuchEntity</c>), or null.</summary>
    public string? ErrorShape { get; }

    /// <summary>The error's members by model member name, as far as the body carried them.</summary>
    public JsonObject Members { get; }

    /// <summary>How many attempts the call made, this last answer included.</summary>
    public int Attempts { get; }

    /// <summary>The answer's <c>Retry-After</c>, if any.</summary>
    internal TimeSpan? RetryAfter { get; }

    private static string Describe(string service, string operation, ServiceError error, int attempts)
    {
        var tries = attempts > 1 ? $", after {attempts} attempts" : "";
        var message = error.Message.Length > 0 ? $": {error.Message}" : "";
        return $"{service} {operation} failed with {error.Code} (HTTP {error.Status}{tries}){message}";
    }
}

/// <summary>An error answer as read from the wire.</summary>
internal sealed record ServiceError(string Code, string Message, int Status, string? RequestId, string? Shape, JsonObject Members)
{
    public TimeSpan? RetryAfter { get; init; }
}
