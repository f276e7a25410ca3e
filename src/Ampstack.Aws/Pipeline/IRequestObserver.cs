namespace Ampstack.Aws.Pipeline;

/// <summary>
/// Told of every request the AWS pipeline answered: which operation (null when no route matched), the status code, and
/// how long it took. Called on the request's thread after the response was written, so it must be cheap and never throw.
/// </summary>
public interface IRequestObserver
{
    void Answered(string? operation, int statusCode, TimeSpan elapsed);
}
