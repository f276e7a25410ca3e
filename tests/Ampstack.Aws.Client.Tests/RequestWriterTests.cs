using System.Text;
using System.Text.Json.Nodes;
using Ampstack.Aws.Client.Wire;
using Ampstack.Aws.Model;
using Ampstack.Aws.Protocols;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Client.Tests;

/// <summary>
/// What the client writes, read back by the serving side's own protocols (which are checked against botocore's client
/// elsewhere): the same operation and the same input, for json 1.1, rest-json and query.
/// </summary>
public class RequestWriterTests
{
    [Fact]
    public void Json_writes_the_target_the_content_type_and_the_whole_input_as_the_body()
    {
        var input = new JsonObject
        {
            ["PoolName"] = "pool",
            ["Policies"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12, ["RequireSymbols"] = false } },
            ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["UserPoolTags"] = new JsonObject { ["ampstack:job"] = "j-1" },
        };
        var request = RequestWriter.Write(VendoredModels.CognitoIdp, VendoredModels.CognitoIdp.Operations["CreateUserPool"], input);
        Assert.Equal(("POST", "/"), (request.Method, request.Path));
        Assert.Contains(new("X-Amz-Target", "AWSCognitoIdentityProviderService.CreateUserPool"), request.Headers);
        Assert.Contains(new("Content-Type", "application/x-amz-json-1.1"), request.Headers);
        Assert.True(JsonNode.DeepEquals(input, ReadBack(VendoredModels.CognitoIdp, request, "CreateUserPool")));
    }

    [Fact]
    public void Rest_json_puts_members_into_the_path_the_query_and_the_body_by_their_location()
    {
        var model = VendoredModels.AppSync;
        var list = new JsonObject { ["apiId"] = "a b/c", ["maxResults"] = 5, ["nextToken"] = "t==" };
        var request = RequestWriter.Write(model, model.Operations["ListApiKeys"], list);
        Assert.Equal(("GET", "/v1/apis/a%20b%2Fc/apikeys"), (request.Method, request.Path));
        Assert.Equal([new("maxResults", "5"), new("nextToken", "t==")], request.Query);
        Assert.Empty(request.Body);
        Assert.DoesNotContain(request.Headers, h => h.Key == "Content-Type");
        Assert.True(JsonNode.DeepEquals(list, ReadBack(model, request, "ListApiKeys")));

        var schema = new JsonObject { ["apiId"] = "api1", ["definition"] = Convert.ToBase64String("type Query { a: String }"u8.ToArray()) };
        request = RequestWriter.Write(model, model.Operations["StartSchemaCreation"], schema);
        Assert.Equal(("POST", "/v1/apis/api1/schemacreation"), (request.Method, request.Path));
        Assert.Equal($$"""{"definition":"{{(string)schema["definition"]!}}"}""", Encoding.UTF8.GetString(request.Body));
        Assert.Contains(new("Content-Type", "application/json"), request.Headers);
        Assert.True(JsonNode.DeepEquals(schema, ReadBack(model, request, "StartSchemaCreation")));
    }

    [Fact]
    public void A_rest_json_operation_with_body_members_sends_an_empty_object_when_none_is_set()
    {
        var model = VendoredModels.AppSync;
        var request = RequestWriter.Write(model, model.Operations["CreateApiKey"], new JsonObject { ["apiId"] = "api1" });
        Assert.Equal("{}", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void Query_writes_action_version_and_the_input_as_a_form_with_lists_as_members()
    {
        var model = VendoredModels.Iam;
        var input = new JsonObject
        {
            ["RoleName"] = "role",
            ["AssumeRolePolicyDocument"] = """{"Version":"2012-10-17"}""",
            ["MaxSessionDuration"] = 7200,
            ["Tags"] = new JsonArray(
                new JsonObject { ["Key"] = "a b", ["Value"] = "c&d" },
                new JsonObject { ["Key"] = "e", ["Value"] = "" }),
        };
        var request = RequestWriter.Write(model, model.Operations["CreateRole"], input);
        Assert.Equal(("POST", "/"), (request.Method, request.Path));
        Assert.Equal(
            "Action=CreateRole&Version=2010-05-08&RoleName=role&AssumeRolePolicyDocument=%7B%22Version%22%3A%222012-10-17%22%7D"
            + "&MaxSessionDuration=7200&Tags.member.1.Key=a%20b&Tags.member.1.Value=c%26d&Tags.member.2.Key=e&Tags.member.2.Value=",
            Encoding.UTF8.GetString(request.Body));
        Assert.Contains(new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), request.Headers);
        Assert.True(JsonNode.DeepEquals(input, ReadBack(model, request, "CreateRole")));
    }

    [Theory]
    [InlineData("""{"PoolName":"p","Bogus":1}""", "'Bogus' is not a member of CreateUserPoolRequest")]
    [InlineData("""{"PoolName":"p","Policies":{"PasswordPolicy":{"Length":1}}}""", "'Policies.PasswordPolicy.Length' is not a member")]
    [InlineData("""{"Policies":{}}""", "Missing required member 'PoolName'")]
    [InlineData("""{"PoolName":"p","MfaConfiguration":"SOMETIMES"}""", "'MfaConfiguration'")]
    [InlineData("""{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":"12"}}}""", "Policies.PasswordPolicy.MinimumLength")]
    [InlineData("""{"PoolName":"p","AutoVerifiedAttributes":"email"}""", "Invalid type for 'AutoVerifiedAttributes'")]
    [InlineData("""{"PoolName":""}""", "Invalid length for 'PoolName'")]
    public void Json_input_that_does_not_fit_the_model_is_refused_before_sending(string input, string expected)
    {
        var error = Assert.Throws<AwsRequestValidationException>(() => RequestWriter.Write(VendoredModels.CognitoIdp,
            VendoredModels.CognitoIdp.Operations["CreateUserPool"], JsonNode.Parse(input)!.AsObject()));
        Assert.Contains(expected, error.Detail, StringComparison.Ordinal);
        Assert.Equal(("Cognito Identity Provider", "CreateUserPool"), (error.Service, error.Operation));
    }

    [Fact]
    public void Rest_and_query_input_that_does_not_fit_the_model_is_refused_before_sending()
    {
        var missingLabel = Assert.Throws<AwsRequestValidationException>(() =>
            RequestWriter.Write(VendoredModels.AppSync, VendoredModels.AppSync.Operations["GetGraphqlApi"], []));
        Assert.Contains("'apiId'", missingLabel.Detail, StringComparison.Ordinal);
        var badQuery = Assert.Throws<AwsRequestValidationException>(() => RequestWriter.Write(VendoredModels.AppSync,
            VendoredModels.AppSync.Operations["ListGraphqlApis"], new JsonObject { ["maxResults"] = 1000 }));
        Assert.Contains("maxResults", badQuery.Detail, StringComparison.Ordinal);
        var missing = Assert.Throws<AwsRequestValidationException>(() =>
            RequestWriter.Write(VendoredModels.Iam, VendoredModels.Iam.Operations["GetRole"], []));
        Assert.Contains("Missing required member 'RoleName'", missing.Detail, StringComparison.Ordinal);
    }

    /// <summary>The request as the serving side's protocol for the model routes and parses it.</summary>
    private static JsonObject ReadBack(ServiceModel model, ClientRequest request, string expectedOperation)
    {
        var http = new DefaultHttpContext().Request;
        http.Method = request.Method;
        foreach (var (name, value) in request.Headers)
        {
            http.Headers.Append(name, value);
        }

        var wire = new WireRequest(http, request.Path, request.Query, request.Body);
        var protocol = WireProtocol.For(model, new ServiceOptions());
        Assert.True(protocol.Claims(wire));
        var match = protocol.Route(wire);
        Assert.Equal(expectedOperation, match!.Operation.Name);
        return protocol.ParseInput(match, wire);
    }
}
