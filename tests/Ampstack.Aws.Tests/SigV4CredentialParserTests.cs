using Ampstack.Aws.Errors;
using Ampstack.Aws.Identity;

namespace Ampstack.Aws.Tests;

public class SigV4CredentialParserTests
{
    private const string Header =
        "AWS4-HMAC-SHA256 Credential={0}/20261126/{1}/amplifybackend/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd";

    [Fact]
    public void A_twelve_digit_key_is_its_own_account()
    {
        var caller = SigV4CredentialParser.Parse(string.Format(null, Header, "123456789012", "eu-west-1"), null);
        Assert.Equal("123456789012", caller.AccountId);
        Assert.Equal("eu-west-1", caller.Region);
    }

    [Fact]
    public void Other_keys_map_to_the_default_account()
    {
        var caller = SigV4CredentialParser.Parse(string.Format(null, Header, "AKIAIOSFODNN7EXAMPLE", "us-east-1"), null);
        Assert.Equal("000000000000", caller.AccountId);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", caller.AccessKeyId);
    }

    [Fact]
    public void Reads_the_presigned_query_form()
    {
        var caller = SigV4CredentialParser.Parse(null, "test/20261126/ap-south-1/amplifybackend/aws4_request");
        Assert.Equal("ap-south-1", caller.Region);
    }

    [Fact]
    public void No_authorization_is_a_missing_token()
    {
        var error = Assert.Throws<AwsErrorException>(() => SigV4CredentialParser.Parse(null, null));
        Assert.Equal("MissingAuthenticationTokenException", error.ErrorType);
        Assert.Equal(403, error.Status);
    }

    [Theory]
    [InlineData("Bearer abc")]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/amplifybackend/aws4_request")]
    [InlineData("AWS4-HMAC-SHA256 Credential=test/us-east-1, SignedHeaders=host, Signature=ab")]
    [InlineData("AWS4-HMAC-SHA256 Credential=/20261126/us-east-1/amplifybackend/aws4_request, SignedHeaders=host, Signature=ab")]
    public void Malformed_headers_are_incomplete_signatures(string header)
    {
        var error = Assert.Throws<AwsErrorException>(() => SigV4CredentialParser.Parse(header, null));
        Assert.Equal("IncompleteSignatureException", error.ErrorType);
        Assert.Equal(403, error.Status);
    }
}
