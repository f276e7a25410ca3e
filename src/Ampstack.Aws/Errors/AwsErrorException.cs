namespace Ampstack.Aws.Errors;

/// <summary>
/// A request-level failure that goes back to the client as an AWS error response: a modelled error shape of the service
/// (status and members from the model; the generator writes one subclass per error shape, with typed members) or one of
/// AWS's common errors (status given here). The wire layer writes every kind the same way, from the model.
/// </summary>
public class AwsErrorException : Exception
{
    public AwsErrorException(string errorType, string message, IReadOnlyDictionary<string, string>? members = null, int? status = null)
        : base(message)
    {
        ErrorType = errorType;
        Members = members ?? new Dictionary<string, string>();
        Status = status;
    }

    /// <summary>The error shape name, sent as <c>x-amzn-ErrorType</c>.</summary>
    public string ErrorType { get; }

    /// <summary>Further members of the error shape by model member name (e.g. <c>ResourceType</c>).</summary>
    public IReadOnlyDictionary<string, string> Members { get; }

    /// <summary>The HTTP status for errors the service model does not define (AWS's common errors).</summary>
    public int? Status { get; }

    /// <summary>Headers the error response carries besides the usual ones (e.g. <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
