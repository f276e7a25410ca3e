using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Ampstack.Aws.Auth;
using Ampstack.Aws.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Aws.Tests;

/// <summary>
/// Strict authentication against requests signed by the AWS SDK for .NET's own signer (AWSSDK.Core), which this project
/// did not write: what it signs verifies, and any change to what it signed does not.
/// </summary>
public class StrictAuthenticatorTests
{
    private const string Mismatch = "The request signature we calculated does not match the signature you provided.";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 7, 0, 0, TimeSpan.Zero);

    private static readonly CredentialSet Store = CredentialSet.Parse([("test", [
        "AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY 111111111111",
        "ASIATEMPORARY temporary-secret 222222222222 the-session-token # temporary",
    ])]);

    private readonly FakeTimeProvider _clock = new(Now);

    private static readonly BasicAWSCredentials Permanent = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private StrictAuthenticator Authenticator => new(new Fixed(Store), "amplifybackend", _clock);

    public static TheoryData<string, string, string?> Requests() => new()
    {
        { "GET", "http://127.0.0.1:4580/backend/app/job/dev/5c1b9d8e-0f7a-4d1e-9a3b-2c4d5e6f7a8b", null },
        { "POST", "http://127.0.0.1:4580/backend", """{"appId":"a","appName":"n","backendEnvironmentName":"dev"}""" },
        { "POST", "http://localhost/backend/a%2Fb/details", "{}" },
        { "POST", "http://localhost:4580/backend/%C3%A9t%C3%A9%20x/details", "{\"backendEnvironmentName\":\"d\u00e9v\"}" },
        { "POST", "http://localhost:4580/backend/app/job/dev?maxResults=5&nextToken=a%2Bb%3D%3D&jobId=&z=%E2%82%AC", "{}" },
        { "GET", "http://localhost:4580/backend/app/job/dev/j?a=2&a=1&B=x", null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void What_the_sdk_signs_verifies(string method, string url, string? body)
    {
        var request = Sign(method, url, body, Permanent, extraHeaders: new() { ["X-Custom"] = "  spaced   out  value " });
        var caller = Authenticator.Authenticate(request);
        Assert.Equal(("AKIDEXAMPLE", "111111111111", "us-east-1"), (caller.AccessKeyId, caller.AccountId, caller.Region));
    }

    [Fact]
    public void A_changed_body_path_query_method_or_signed_header_does_not_verify()
    {
        var signed = Sign("POST", "http://localhost:4580/backend/app/details?x=1", "{\"a\":1}", Permanent,
            extraHeaders: new() { ["X-Custom"] = "v" });
        var otherBody = "{\"a\":2}"u8.ToArray();
        var bodyOnly = Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(signed with { Body = otherBody }));
        Assert.Equal("The provided 'x-amz-content-sha256' header does not match what was computed.", bodyOnly.Message);
        SignedRequest[] tampered =
        [
            signed with { Body = otherBody, Headers = Copy(signed.Headers, "X-Amz-Content-SHA256", SigV4.Hash(otherBody)) },
            signed with { Body = otherBody, Headers = Copy(signed.Headers, "X-Amz-Content-SHA256", null) },
            signed with { RawPath = "/backend/other/details" },
            signed with { RawQuery = "x=2" },
            signed with { Method = "PUT" },
            signed with { Headers = Copy(signed.Headers, "X-Custom", "w") },
            signed with { Headers = Copy(signed.Headers, "Host", "evil:4580") },
        ];
        foreach (var request in tampered)
        {
            var error = Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(request));
            Assert.Equal(("InvalidSignatureException", 403), (error.ErrorType, error.Status));
            Assert.StartsWith(Mismatch, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_wrong_secret_does_not_verify_and_an_unknown_key_is_unrecognized()
    {
        var wrongSecret = Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(
            Sign("POST", "http://localhost/backend", "{}", new BasicAWSCredentials("AKIDEXAMPLE", "not-the-secret"))));
        Assert.Equal("InvalidSignatureException", wrongSecret.ErrorType);
        var unknown = Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(
            Sign("POST", "http://localhost/backend", "{}", new BasicAWSCredentials("AKIDUNKNOWN", "whatever"))));
        Assert.Equal("UnrecognizedClientException", unknown.ErrorType);
        Assert.Equal("The security token included in the request is invalid.", unknown.Message);
    }

    [Fact]
    public void Temporary_credentials_need_their_session_token()
    {
        var ok = Authenticator.Authenticate(Sign("POST", "http://localhost/backend", "{}",
            new SessionAWSCredentials("ASIATEMPORARY", "temporary-secret", "the-session-token")));
        Assert.Equal("222222222222", ok.AccountId);
        foreach (var credentials in new AWSCredentials[]
        {
            new SessionAWSCredentials("ASIATEMPORARY", "temporary-secret", "another-token"),
            new BasicAWSCredentials("ASIATEMPORARY", "temporary-secret"),
            new SessionAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "a-token-it-does-not-have"),
        })
        {
            var error = Refused(Sign("POST", "http://localhost/backend", "{}", credentials));
            Assert.Equal("UnrecognizedClientException", error.ErrorType);
        }
    }

    [Fact]
    public void A_date_more_than_15_minutes_off_has_expired_or_is_not_yet_current()
    {
        SignedRequest At(int minutes) => Sign("GET", "http://localhost/s", null, Permanent, Now.AddMinutes(minutes));
        Assert.Equal("111111111111", Authenticator.Authenticate(At(-14)).AccountId);
        Assert.Equal("111111111111", Authenticator.Authenticate(At(14)).AccountId);
        var old = Refused(At(-16));
        Assert.Equal("InvalidSignatureException", old.ErrorType);
        Assert.Equal("Signature expired: 20261201T064400Z is now earlier than 20261201T064500Z (20261201T070000Z - 15 min.)", old.Message);
        var early = Refused(At(16));
        Assert.Equal(
            "Signature not yet current: 20261201T071600Z is still later than 20261201T071500Z (20261201T070000Z + 15 min.)",
            early.Message);
    }

    [Fact]
    public void A_presigned_url_verifies_until_it_expires()
    {
        var url = AWSSigV4Signer.Presign(
            new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = new Uri("http://localhost:4580/backend/app/job/dev/j") },
            Parameters(Permanent, Now.UtcDateTime), TimeSpan.FromMinutes(5)).Uri;
        var request = new SignedRequest("GET", url.AbsolutePath, url.Query.TrimStart('?'), Headers(("Host", url.Authority)),
            ReadOnlyMemory<byte>.Empty);
        Assert.Contains("X-Amz-Expires=300", request.RawQuery, StringComparison.Ordinal);
        Assert.Equal("111111111111", Authenticator.Authenticate(request).AccountId);

        var tampered = Refused(request with { RawPath = "/backend/app/job/dev/k" });
        Assert.StartsWith(Mismatch, tampered.Message, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        var expired = Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(request));
        Assert.Equal("InvalidSignatureException", expired.ErrorType);
        Assert.StartsWith("Signature expired: 20261201T070000Z is now earlier than", expired.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scope_must_name_this_service_and_the_signing_day()
    {
        var request = Sign("POST", "http://localhost/backend", "{}", Permanent);
        var otherService = request.Headers.Authorization.ToString().Replace("/amplifybackend/", "/s3/", StringComparison.Ordinal);
        var error = Refused(request with { Headers = Copy(request.Headers, "Authorization", otherService) });
        Assert.Equal("Credential should be scoped to correct service: 'amplifybackend'.", error.Message);

        var otherDay = request.Headers.Authorization.ToString().Replace("/20261201/", "/20261130/", StringComparison.Ordinal);
        error = Refused(request with { Headers = Copy(request.Headers, "Authorization", otherDay) });
        Assert.StartsWith("Date in Credential scope does not match YYYYMMDD", error.Message, StringComparison.Ordinal);

        var noDate = Copy(request.Headers, "X-Amz-Date", null);
        error = Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(request with { Headers = noDate }));
        Assert.Equal("IncompleteSignatureException", error.ErrorType);
    }

    [Fact]
    public void Dot_segments_are_removed_before_the_path_is_signed_as_every_sdk_does()
    {
        var signed = Sign("POST", "http://localhost:4580/backend/app/details", "{}", Permanent);
        Assert.Equal("111111111111", Authenticator.Authenticate(signed with { RawPath = "/backend/x/../app/./details" }).AccountId);
        Assert.Equal("/backend/a%252Fb/%25C3%25A9", SigV4.CanonicalUri("/backend//a%2Fb/%C3%A9"));
    }

    private AwsErrorException Refused(SignedRequest request) => Assert.Throws<AwsErrorException>(() => Authenticator.Authenticate(request));

    private SignedRequest Sign(string method, string url, string? body, AWSCredentials credentials, DateTimeOffset? signedAt = null,
        Dictionary<string, string>? extraHeaders = null)
    {
        var uri = new Uri(url);
        var bytes = body is null ? [] : System.Text.Encoding.UTF8.GetBytes(body);
        var request = new AWSSigningRequest { HttpMethod = new HttpMethod(method), RequestUri = uri, Content = bytes };
        foreach (var (name, value) in extraHeaders ?? [])
        {
            request.Headers[name] = value;
        }

        var result = AWSSigV4Signer.Sign(request, Parameters(credentials, (signedAt ?? _clock.GetUtcNow()).UtcDateTime));
        var headers = Headers(("Host", uri.IsDefaultPort ? uri.Host : uri.Authority));
        foreach (var (name, value) in request.Headers.Concat(result.Headers))
        {
            headers[name] = value;
        }

        return new SignedRequest(method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, bytes);
    }

    private static AWSSigV4Parameters Parameters(AWSCredentials credentials, DateTime signedAt) => new()
    {
        Credentials = credentials,
        Region = RegionEndpoint.USEast1,
        Service = "amplifybackend",
        SignedAt = signedAt,
    };

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var result = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            result[name] = value;
        }

        return result;
    }

    private static HeaderDictionary Copy(IHeaderDictionary headers, string name, string? value)
    {
        var copy = new HeaderDictionary();
        foreach (var (key, values) in headers)
        {
            copy[key] = values;
        }

        if (value is null)
        {
            copy.Remove(name);
        }
        else
        {
            copy[name] = value;
        }

        return copy;
    }

    private sealed class Fixed(CredentialSet set) : ICredentialSource
    {
        public CredentialSet Current => set;
    }
}
