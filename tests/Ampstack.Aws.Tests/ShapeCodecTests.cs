using System.Text;
using System.Text.Json.Nodes;
using Ampstack.AmplifyBackend;
using Ampstack.AmplifyBackend.Api;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Tests;

public class ShapeCodecTests
{
    private static readonly ShapeCodec Codec = new(AmplifyBackendModel.Instance, AmplifyBackendJsonContext.Default);

    private static string Write<T>(T output)
        where T : class
    {
        using var body = Codec.Write(typeof(T), output);
        return Encoding.UTF8.GetString(body.ToArray());
    }

    [Fact]
    public void Writes_wire_names_in_model_order_and_omits_nulls()
    {
        var json = Write(new UpdateBackendConfigResponse
        {
            LoginAuthConfig = new LoginAuthConfigReqObj { AwsUserPoolsId = "p", AwsCognitoRegion = "eu-west-1" },
            AppId = "a",
            Error = null,
        });
        Assert.Equal("""{"appId":"a","loginAuthConfig":{"aws_cognito_region":"eu-west-1","aws_user_pools_id":"p"}}""", json);
    }

    [Fact]
    public void Writes_lists_booleans_and_numbers()
    {
        Assert.Equal("""{"isSuccess":true}""", Write(new DeleteTokenResponse { IsSuccess = true }));
        var json = Write(new GetBackendStorageResponse
        {
            ResourceConfig = new GetBackendStorageResourceConfig
            {
                Imported = false,
                Permissions = new BackendStoragePermissions { Authenticated = ["READ", "DELETE"] },
                ServiceName = "S3",
            },
        });
        Assert.Equal("""{"resourceConfig":{"imported":false,"permissions":{"authenticated":["READ","DELETE"]},"serviceName":"S3"}}""",
            json);
        var auth = Write(new CreateBackendAuthPasswordPolicyConfig { MinimumLength = 8 });
        Assert.Equal("""{"minimumLength":8}""", auth);
    }

    [Fact]
    public void Text_is_escaped_as_the_wire_needs()
    {
        Assert.Equal("""{"error":"\u003Cb\u003E \u0022q\u0022 \u00E9"}""",
            Write(new RemoveBackendConfigResponse { Error = "<b> \"q\" \u00e9" }));
    }

    [Fact]
    public void Reads_an_input_keyed_by_member_names_path_members_included()
    {
        var input = new JsonObject
        {
            ["AppId"] = "app",
            ["BackendEnvironmentName"] = "dev",
            ["MaxResults"] = 5L,
            ["Status"] = "RUNNING",
        };
        var request = Assert.IsType<ListBackendJobsRequest>(Codec.Read(typeof(ListBackendJobsRequest), input));
        Assert.Equal(("app", "dev", 5, "RUNNING", null),
            (request.AppId, request.BackendEnvironmentName, request.MaxResults, request.Status, request.NextToken));
    }

    [Fact]
    public void Path_members_of_an_output_stay_off_the_body()
    {
        // No output of this model has a path member; the request shapes do, and are written here only to check the rule.
        Assert.Equal("""{"resourceName":"r"}""",
            Write(new GetBackendAPIModelsRequest { AppId = "a", BackendEnvironmentName = "e", ResourceName = "r" }));
    }
}

public class WrittenOnceTests
{
    [Fact]
    public void An_output_given_again_is_sent_as_first_written_and_another_output_is_written_anew()
    {
        var codec = new ShapeCodec(AmplifyBackendModel.Instance, AmplifyBackendJsonContext.Default);
        var output = new GetBackendResponse { AppId = "a", BackendEnvironmentList = ["dev"] };
        var first = codec.WriteOnce(typeof(GetBackendResponse), output);
        Assert.Equal("""{"appId":"a","backendEnvironmentList":["dev"]}""", Encoding.UTF8.GetString(first));
        Assert.Same(first, codec.WriteOnce(typeof(GetBackendResponse), output)); // the very bytes: not written again
        var other = new GetBackendResponse { AppId = "b", BackendEnvironmentList = ["dev"] };
        Assert.Equal("""{"appId":"b","backendEnvironmentList":["dev"]}""",
            Encoding.UTF8.GetString(codec.WriteOnce(typeof(GetBackendResponse), other)));
    }
}
