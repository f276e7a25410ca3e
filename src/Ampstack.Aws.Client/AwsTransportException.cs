namespace Ampstack.Aws.Client;

/// <summary>
/// The endpoint gave no answer: it could not be reached (refused, reset, no such host) or did not answer in time, on
/// every attempt the call was allowed.
/// </summary>
public sealed class AwsTransportException : AwsClientException
{
    internal AwsTransportException(string service, string operation, Uri endpoint, int attempts, bool timedOut, string detail,
        Exception? inner)
        : base(service, operation, $"{service} {operation}: {detail} ({endpoint}, {attempts} attempt{(attempts == 1 ? "" : "s")})", inner)
    {
        Endpoint = endpoint;
        Attempts = attempts;
        TimedOut = timedOut;
    }

    public Uri Endpoint { get; }

    public int Attempts { get; }

    /// <summary>True when the last attempt, or the call as a whole, ran out of time.</summary>
    public bool TimedOut { get; }
}
