namespace Ampstack.Aws.Client;

/// <summary>
/// Which failures are worth another attempt, and how long to wait first, as botocore's standard retry mode has it:
/// throttling codes, 429, the transient 5xx statuses and codes, and answers that never came (refused, reset, timed out);
/// waits grow exponentially from <see cref="AwsClientOptions.BaseDelay"/> with full jitter, at least an answer's
/// <c>Retry-After</c>, never beyond <see cref="AwsClientOptions.MaxDelay"/>.
/// </summary>
public static class RetryRules
{
    /// <summary>botocore's throttling codes (<c>botocore/retries/standard.py</c>).</summary>
    public static IReadOnlySet<string> ThrottlingCodes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    /// <summary>botocore's transient codes.</summary>
    public static IReadOnlySet<string> TransientCodes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
    };

    /// <summary>True when an error answer may succeed if sent again.</summary>
    public static bool IsRetryable(int status, string code) =>
        status is 429 or 500 or 502 or 503 or 504 || ThrottlingCodes.Contains(code) || TransientCodes.Contains(code);

    /// <summary>The wait before attempt <paramref name="nextAttempt"/> (2 for the first retry).</summary>
    public static TimeSpan Delay(AwsClientOptions options, int nextAttempt, TimeSpan? retryAfter, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ceiling = options.BaseDelay * Math.Pow(2, Math.Min(nextAttempt - 2, 30));
        var wait = ceiling * random;
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked;
        }

        return wait > options.MaxDelay ? options.MaxDelay : wait;
    }
}
