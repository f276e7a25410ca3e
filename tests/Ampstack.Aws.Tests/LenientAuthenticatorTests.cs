using Ampstack.Aws.Auth;
using Ampstack.Aws.Errors;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Tests;

/// <summary>Lenient authentication: the signature's form is checked, never the signature; the key names the account.</summary>
public class LenientAuthenticatorTests
{
    private const string Header =
        "AWS4-HMAC-SHA256 Credential={0}/20261126/{1}/amplifybackend/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd";

    private static CallerIdentity Authenticate(string? authorization, string query = "")
    {
        var headers = new HeaderDictionary();
        if (authorization is not null)
        {
            headers["Authorization"] = authorization;
        }

        return new LenientAuthenticator().Authenticate(new SignedRequest("POST", "/backend/a/details", query, headers, "{}"u8.ToArray()));
    }

    [Fact]
    public void A_twelve_digit_key_is_its_own_account()
    {
        var caller = Authenticate(string.Format(null, Header, "123456789012", "eu-west-1"));
        Assert.Equal("123456789012", caller.AccountId);
        Assert.Equal("eu-west-1", caller.Region);
    }

    [Fact]
    public void Other_keys_map_to_the_default_account()
    {
        var caller = Authenticate(string.Format(null, Header, "AKIAIOSFODNN7EXAMPLE", "us-east-1"));
        Assert.Equal("000000000000", caller.AccountId);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", caller.AccessKeyId);
    }

    [Fact]
    public void The_header_is_read_pair_by_pair_trimmed_the_last_of_a_name_winning()
    {
        var headers = new HeaderDictionary
        {
            ["Authorization"] = "AWS4-HMAC-SHA256 Credential=old/20261126/us-east-1/s3/aws4_request,junk, Other=x ,"
                + "  Credential=new/20261127/eu-west-1/amplifybackend/aws4_request , SignedHeaders=host;x-amz-date,,Signature=ab=cd",
        };
        var read = SigV4Parameters.Read(headers, [], strict: false);
        Assert.Equal(("new", "20261127", "eu-west-1", "amplifybackend"), (read.AccessKeyId, read.ScopeDate, read.Region, read.Service));
        Assert.Equal(["host", "x-amz-date"], read.SignedHeaders);
        Assert.Equal("host;x-amz-date", read.SignedHeadersText);
        Assert.Equal("ab=cd", read.Signature); // split at the first '=' only
        headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=a/20261126/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=";
        var refused = Assert.Throws<AwsErrorException>(() => SigV4Parameters.Read(headers, [], strict: false));
        Assert.Contains("'Signature'", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credential_read_again_reads_the_same_and_a_refused_one_is_refused_every_time()
    {
        var key = "K" + Guid.NewGuid().ToString("N")[..12];
        var first = Authenticate(string.Format(null, Header, key, "ap-south-1"));
        var again = Authenticate("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=ff, "
            + $"Credential={key}/20261126/ap-south-1/amplifybackend/aws4_request");
        Assert.Equal((key, "ap-south-1"), (first.AccessKeyId, first.Region));
        Assert.Equal((first.AccessKeyId, first.Region, first.AccountId), (again.AccessKeyId, again.Region, again.AccountId));
        var other = Authenticate(string.Format(null, Header, key, "eu-west-3"));
        Assert.Equal("eu-west-3", other.Region);

        for (var i = 0; i < 2; i++)
        {
            var refused = Assert.Throws<AwsErrorException>(() => Authenticate(string.Format(null, Header, key, "Not_A_Region")));
            Assert.Equal("InvalidSignatureException", refused.ErrorType);
        }
    }

    [Fact]
    public void Reads_the_presigned_query_form()
    {
        var caller = Authenticate(null, "X-Amz-Credential=test%2F20261126%2Fap-south-1%2Famplifybackend%2Faws4_request");
        Assert.Equal("ap-south-1", caller.Region);
    }

    [Fact]
    public void No_authorization_is_a_missing_token()
    {
        var error = Assert.Throws<AwsErrorException>(() => Authenticate(null));
        Assert.Equal("MissingAuthenticationTokenException", error.ErrorType);
        Assert.Equal(403, error.Status);
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request")]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/us-east-1, SignedHeaders=host, Signature=ab")]
    [InlineData("AWS4-HMAC-SHA256 Credential=/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=ab")]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1//aws4_request, SignedHeaders=host, Signature=ab")]
    public void Malformed_headers_are_incomplete_signatures(string header)
    {
        var error = Assert.Throws<AwsErrorException>(() => Authenticate(header));
        Assert.Equal("IncompleteSignatureException", error.ErrorType);
        Assert.Equal(403, error.Status);
        Assert.DoesNotContain("Signature=ab", error.Message, StringComparison.Ordinal);
    }
}
