namespace Ampstack.Aws.Client;

/// <summary>
/// The input does not fit the operation's input shape (an unknown member, a wrong type, a missing required member, a
/// value outside the model's constraints); nothing was sent. The message names the member by its wire path.
/// </summary>
public sealed class AwsRequestValidationException : AwsClientException
{
    internal AwsRequestValidationException(string service, string operation, string detail)
        : base(service, operation, $"{service} {operation}: the input does not fit the model: {detail}")
    {
        Detail = detail;
    }

    public string Detail { get; }
}
