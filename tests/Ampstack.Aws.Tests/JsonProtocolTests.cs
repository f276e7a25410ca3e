using System.Text;
using System.Text.Json.Nodes;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Protocols;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Tests;

/// <summary>The json protocol (1.1: Cognito's) served: routing by X-Amz-Target, input from the body, errors with __type.</summary>
public class JsonProtocolTests
{
    private readonly WireProtocol _protocol = WireProtocol.For(VendoredModels.CognitoIdp, new ServiceOptions());

    [Fact]
    public void The_model_gives_the_json_version_and_the_target_prefix()
    {
        Assert.Equal("json", VendoredModels.CognitoIdp.Protocol);
        Assert.Equal("1.1", VendoredModels.CognitoIdp.JsonVersion);
        Assert.Equal("AWSCognitoIdentityProviderService", VendoredModels.CognitoIdp.TargetPrefix);
        Assert.Equal("cognito-idp", VendoredModels.CognitoIdp.EndpointPrefix);
        Assert.IsType<JsonProtocol>(_protocol);
    }

    [Fact]
    public void X_amz_target_names_the_operation_and_the_body_is_the_input()
    {
        var request = Request("AWSCognitoIdentityProviderService.CreateUserPool",
            """{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":8}}}""");
        Assert.True(_protocol.Claims(request));
        var match = _protocol.Route(request)!;
        Assert.Equal("CreateUserPool", match.Operation.Name);
        var input = _protocol.ParseInput(match, request);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":8}}}"""), input));
    }

    [Fact]
    public void Another_services_target_or_an_unknown_operation_is_not_claimed_and_no_target_is_refused()
    {
        Assert.False(_protocol.Claims(Request("AWSCognitoIdentityService.CreateIdentityPool", "{}")));
        Assert.Null(_protocol.Route(Request("AWSCognitoIdentityProviderService.DeleteEverything", "{}")));
        Assert.Throws<WireRefusalException>(() => _protocol.Route(Request(null, "{}")));
        var request = Request("AWSCognitoIdentityProviderService.CreateUserPool", """{"PoolName":""}""");
        var error = Assert.Throws<WireRefusalException>(() => _protocol.ParseInput(_protocol.Route(request)!, request));
        Assert.Contains("PoolName", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_carries_its_code_as_header_and_as_type_in_the_body()
    {
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        await _protocol.WriteErrorAsync(http, VendoredModels.CognitoIdp,
            new AwsErrorException("InvalidPasswordException", "too short"), "r1");
        Assert.Equal(400, http.Response.StatusCode);
        Assert.Equal("InvalidPasswordException", http.Response.Headers["x-amzn-ErrorType"].ToString());
        Assert.Equal("application/x-amz-json-1.1", http.Response.ContentType);
        var body = JsonNode.Parse(((MemoryStream)http.Response.Body).ToArray())!;
        Assert.Equal("InvalidPasswordException", (string?)body["__type"]);
        Assert.Equal("too short", (string?)body["message"]);
    }

    private static WireRequest Request(string? target, string body)
    {
        var http = new DefaultHttpContext().Request;
        http.Method = "POST";
        http.ContentType = "application/x-amz-json-1.1";
        if (target is not null)
        {
            http.Headers["X-Amz-Target"] = target;
        }

        return new WireRequest(http, "/", [], Encoding.UTF8.GetBytes(body));
    }
}
