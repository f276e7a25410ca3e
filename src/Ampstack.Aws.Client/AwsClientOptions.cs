using Ampstack.Aws.Auth;

namespace Ampstack.Aws.Client;

/// <summary>Where a client calls, as whom, and how patiently.</summary>
public sealed record AwsClientOptions
{
    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:5000</c> (moto) or <c>https://cognito-idp.eu-west-1.amazonaws.com</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The region the requests are signed for.</summary>
    public required string Region { get; init; }

    public required AwsCredentials Credentials { get; init; }

    /// <summary>How long one attempt may take, connecting included, before it is abandoned (and perhaps retried).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a call may take in all, its retries and their waits included.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts per call, the first included (1: no retries).</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The first retry waits up to this long; each further one up to twice as long as the one before.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>No wait between attempts is longer than this, whatever the backoff or a <c>Retry-After</c> asks.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The clock for signatures, timeouts and waits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Throws when a value cannot work (a relative endpoint, no attempts, a timeout of zero).</summary>
    public void Validate()
    {
        if (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The endpoint must be an absolute http or https URL, not '{Endpoint}'.", nameof(Endpoint));
        }

        if (!string.IsNullOrEmpty(Endpoint.Query) || !string.IsNullOrEmpty(Endpoint.Fragment))
        {
            throw new ArgumentException($"The endpoint must have no query or fragment: '{Endpoint}'.", nameof(Endpoint));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Region);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttemptTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CallTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(BaseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDelay, BaseDelay);
    }
}
