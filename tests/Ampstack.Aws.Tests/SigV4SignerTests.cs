using Ampstack.Aws.Auth;
using Ampstack.Aws.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Aws.Tests;

/// <summary>
/// The signer of outgoing requests (the provisioning client's) against the strict authenticator, which is itself checked
/// against the AWS SDK's signer: what one signs, the other verifies, and a change to what was signed does not verify.
/// </summary>
public class SigV4SignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 7, 0, 0, TimeSpan.Zero);

    private static readonly CredentialSet Store = CredentialSet.Parse([("test", [
        "AKIDEXAMPLE wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY 111111111111",
        "ASIATEMPORARY temporary-secret 222222222222 the-session-token",
    ])]);

    private static readonly AwsCredentials Permanent = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    private readonly StrictAuthenticator _authenticator = new(new Fixed(Store), "cognito-idp", new FakeTimeProvider(Now));

    public static TheoryData<string, string, string?> Requests() => new()
    {
        { "POST", "http://127.0.0.1:5000/", """{"PoolName":"p"}""" },
        { "GET", "http://localhost:5000/v1/apis/a%2Fb/apikeys", null },
        { "GET", "http://localhost/v1/apis/%C3%A9t%C3%A9%20x?maxResults=5&nextToken=a%2Bb%3D%3D&z=%E2%82%AC&a=2&a=1", null },
        { "POST", "http://[::1]:4566/prefix/", "Action=GetRole&Version=2010-05-08&RoleName=r" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void What_the_signer_signs_verifies(string method, string url, string? body)
    {
        var caller = _authenticator.Authenticate(Sign(method, url, body, Permanent));
        Assert.Equal(("AKIDEXAMPLE", "111111111111", "eu-west-1"), (caller.AccessKeyId, caller.AccountId, caller.Region));
    }

    [Fact]
    public void Temporary_credentials_send_their_session_token_signed()
    {
        var temporary = new AwsCredentials("ASIATEMPORARY", "temporary-secret", "the-session-token");
        var signed = Sign("POST", "http://127.0.0.1:5000/", "{}", temporary);
        Assert.Equal("the-session-token", signed.Headers["X-Amz-Security-Token"].ToString());
        Assert.Contains("x-amz-security-token", signed.Headers.Authorization.ToString(), StringComparison.Ordinal);
        Assert.Equal("222222222222", _authenticator.Authenticate(signed).AccountId);
    }

    [Fact]
    public void A_changed_body_path_query_or_signed_header_does_not_verify()
    {
        var signed = Sign("POST", "http://127.0.0.1:5000/v1/apis?x=1", """{"a":1}""", Permanent);
        SignedRequest[] tampered =
        [
            signed with { Body = """{"a":2}"""u8.ToArray() },
            signed with { RawPath = "/v1/other" },
            signed with { RawQuery = "x=2" },
            signed with { Method = "PUT" },
            signed with { Headers = Copy(signed.Headers, "X-Amz-Target", "Other.Op") },
        ];
        foreach (var request in tampered)
        {
            var error = Assert.Throws<AwsErrorException>(() => _authenticator.Authenticate(request));
            Assert.Equal("InvalidSignatureException", error.ErrorType);
        }
    }

    private static SignedRequest Sign(string method, string url, string? body, AwsCredentials credentials)
    {
        var uri = new Uri(url);
        var bytes = body is null ? [] : System.Text.Encoding.UTF8.GetBytes(body);
        var rawQuery = uri.Query.TrimStart('?');
        List<KeyValuePair<string, string>> headers =
        [
            new("Host", uri.Authority),
            new("Content-Type", "application/x-amz-json-1.1"),
            new("X-Amz-Target", "AWSCognitoIdentityProviderService.CreateUserPool"),
            new("X-Custom", "  spaced   out  value "),
        ];
        var added = SigV4Signer.Sign(new OutgoingRequest(method, uri.AbsolutePath, SigV4.ParseQuery(rawQuery), headers, bytes),
            credentials, ("eu-west-1", "cognito-idp"), Now);
        var sent = new HeaderDictionary();
        foreach (var (name, value) in headers.Concat(added))
        {
            sent[name] = value;
        }

        return new SignedRequest(method, uri.AbsolutePath, rawQuery, sent, bytes);
    }

    private static HeaderDictionary Copy(IHeaderDictionary headers, string name, string value)
    {
        var copy = new HeaderDictionary();
        foreach (var (key, values) in headers)
        {
            copy[key] = values;
        }

        copy[name] = value;
        return copy;
    }

    private sealed class Fixed(CredentialSet set) : ICredentialSource
    {
        public CredentialSet Current => set;
    }
}
