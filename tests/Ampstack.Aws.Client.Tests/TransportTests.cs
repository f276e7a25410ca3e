using System.Diagnostics;
using System.Text.Json.Nodes;
using Ampstack.Aws.Auth;

namespace Ampstack.Aws.Client.Tests;

/// <summary>Timeouts, retries and cancellation, against real loopback servers: a closed port and a scripted HTTP stub.</summary>
public sealed class TransportTests
{
    private static readonly JsonObject ListPools = new() { ["MaxResults"] = 10 };

    [Fact]
    public async Task An_unreachable_endpoint_fails_fast_with_a_clear_error_within_the_call_timeout()
    {
        var endpoint = new Uri($"http://127.0.0.1:{StubEndpoint.FreePort()}");
        using var client = Client(endpoint, attemptTimeout: TimeSpan.FromSeconds(2), callTimeout: TimeSpan.FromSeconds(10));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AwsTransportException>(() =>
            client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None));
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.False(error.TimedOut);
        Assert.Equal(4, error.Attempts);
        Assert.Contains("Cognito Identity Provider ListUserPools: could not reach the endpoint", error.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint.Authority, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_call_is_retried_and_succeeds()
    {
        using var stub = new StubEndpoint(n => n == 1
            ? new StubAnswer(429, """{"__type":"TooManyRequestsException","message":"Rate exceeded"}""")
            : new StubAnswer(200, """{"UserPools":[{"Id":"us-east-1_a","Name":"a","CreationDate":1.7e9}]}"""));
        using var client = Client(stub.Endpoint);
        var pools = await client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None);
        Assert.Equal("us-east-1_a", (string?)pools["UserPools"]![0]!["Id"]);
        Assert.Equal("2023-11-14T22:13:20.0000000+00:00", (string?)pools["UserPools"]![0]!["CreationDate"]);
        Assert.Equal(2, stub.Requests.Count);
        Assert.All(stub.Requests, r =>
        {
            Assert.Equal("AWSCognitoIdentityProviderService.ListUserPools", r.Headers["X-Amz-Target"]);
            Assert.StartsWith("AWS4-HMAC-SHA256 Credential=test/", r.Headers["Authorization"], StringComparison.Ordinal);
            Assert.Equal("""{"MaxResults":10}""", r.Body);
        });
    }

    [Fact]
    public async Task A_throttling_code_is_retried_whatever_its_status_and_a_server_error_too()
    {
        using var stub = new StubEndpoint(n => n switch
        {
            1 => new StubAnswer(400, """{"__type":"com.amazonaws#ThrottlingException","message":"slow down"}"""),
            2 => new StubAnswer(503, "<html>Service Unavailable</html>", "text/html"),
            _ => new StubAnswer(200, """{"UserPools":[]}"""),
        });
        using var client = Client(stub.Endpoint);
        var pools = await client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None);
        Assert.Empty(pools["UserPools"]!.AsArray());
        Assert.Equal(3, stub.Requests.Count);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        using var stub = new StubEndpoint(_ => new StubAnswer(400, """{"__type":"InvalidParameterException","message":"no"}""")
        {
            Headers = new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-1" },
        });
        using var client = Client(stub.Endpoint);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None));
        Assert.Single(stub.Requests);
        Assert.Equal("InvalidParameterException", error.ErrorShape);
        Assert.Equal("no", error.ErrorMessage);
        Assert.Equal("req-1", error.RequestId);
        Assert.Equal("Cognito Identity Provider ListUserPools failed with InvalidParameterException (HTTP 400): no", error.Message);
    }

    [Fact]
    public async Task Retries_stop_at_the_attempt_limit_with_the_last_answer()
    {
        using var stub = new StubEndpoint(_ => new StubAnswer(500, """{"__type":"InternalErrorException","message":"boom"}"""));
        using var client = Client(stub.Endpoint, maxAttempts: 3);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None));
        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(3, error.Attempts);
        Assert.Equal("InternalErrorException", error.ErrorCode);
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_answer_is_abandoned_at_the_attempt_timeout_and_the_next_attempt_succeeds()
    {
        using var stub = new StubEndpoint(n => new StubAnswer(200, """{"UserPools":[]}""")
        {
            Delay = n == 1 ? TimeSpan.FromSeconds(30) : TimeSpan.Zero,
        });
        using var client = Client(stub.Endpoint, attemptTimeout: TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();
        await client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(2, stub.Requests.Count);
    }

    [Fact]
    public async Task The_call_timeout_bounds_every_attempt_and_wait_together()
    {
        using var stub = new StubEndpoint(_ => new StubAnswer(200, """{"UserPools":[]}""") { Delay = TimeSpan.FromSeconds(30) });
        using var client = Client(stub.Endpoint, attemptTimeout: TimeSpan.FromSeconds(1), callTimeout: TimeSpan.FromSeconds(2.5));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<AwsTransportException>(() =>
            client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), CancellationToken.None));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.True(error.TimedOut);
    }

    [Fact]
    public async Task The_callers_cancellation_ends_a_wait_between_attempts()
    {
        using var stub = new StubEndpoint(_ => new StubAnswer(503, """{"__type":"ServiceUnavailable","message":"later"}""")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "20" },
        });
        using var client = Client(stub.Endpoint);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), cancel.Token));
        Assert.Equal(cancel.Token, error.CancellationToken);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Single(stub.Requests);
    }

    [Fact]
    public async Task The_callers_cancellation_ends_an_attempt_in_flight()
    {
        using var stub = new StubEndpoint(_ => new StubAnswer(200, """{"UserPools":[]}""") { Delay = TimeSpan.FromSeconds(30) });
        using var client = Client(stub.Endpoint);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            client.InvokeAsync("ListUserPools", ListPools.DeepClone().AsObject(), cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_honours_retry_after_and_stops_at_the_maximum()
    {
        var options = new AwsClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:1"),
            Region = "us-east-1",
            Credentials = new AwsCredentials("a", "b"),
            BaseDelay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(1),
        };
        Assert.Equal(TimeSpan.FromMilliseconds(100), RetryRules.Delay(options, 2, null, 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), RetryRules.Delay(options, 3, null, 1.0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), RetryRules.Delay(options, 4, null, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(1), RetryRules.Delay(options, 20, null, 1.0));
        Assert.Equal(TimeSpan.Zero, RetryRules.Delay(options, 2, null, 0.0));
        Assert.Equal(TimeSpan.FromMilliseconds(700), RetryRules.Delay(options, 2, TimeSpan.FromMilliseconds(700), 0.1));
        Assert.Equal(TimeSpan.FromSeconds(1), RetryRules.Delay(options, 2, TimeSpan.FromSeconds(20), 0.1));
        Assert.True(RetryRules.IsRetryable(429, "Whatever"));
        Assert.True(RetryRules.IsRetryable(400, "ThrottlingException"));
        Assert.False(RetryRules.IsRetryable(400, "InvalidParameterException"));
        Assert.False(RetryRules.IsRetryable(404, "404"));
    }

    private static AwsServiceClient Client(
        Uri endpoint, TimeSpan? attemptTimeout = null, TimeSpan? callTimeout = null, int maxAttempts = 4) =>
        new(VendoredModels.CognitoIdp, new AwsClientOptions
        {
            Endpoint = endpoint,
            Region = "us-east-1",
            Credentials = new AwsCredentials("test", "test"),
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(10),
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(30),
            MaxAttempts = maxAttempts,
            BaseDelay = TimeSpan.FromMilliseconds(20),
        });
}
