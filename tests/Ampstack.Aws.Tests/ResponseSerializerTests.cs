using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ampstack.AmplifyBackend;
using Ampstack.Aws.Errors;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Tests;

public class ResponseSerializerTests
{
    private static string Serialize(string operation, JsonObject output) =>
        Encoding.UTF8.GetString(ResponseSerializer.Serialize(AmplifyBackendModel.Instance.Operations[operation].Output, output));

    [Fact]
    public void Writes_wire_names_in_model_order_and_omits_nulls()
    {
        var json = Serialize("UpdateBackendConfig", new JsonObject
        {
            ["LoginAuthConfig"] = new JsonObject { ["AwsUserPoolsId"] = "p", ["AwsCognitoRegion"] = "eu-west-1" },
            ["AppId"] = "a",
            ["Error"] = null,
        });
        Assert.Equal("""{"appId":"a","loginAuthConfig":{"aws_cognito_region":"eu-west-1","aws_user_pools_id":"p"}}""", json);
    }

    [Fact]
    public void Writes_lists_booleans_and_numbers()
    {
        Assert.Equal("""{"isSuccess":true}""", Serialize("DeleteToken", new JsonObject { ["IsSuccess"] = true }));
        var json = Serialize("GetBackendStorage", new JsonObject
        {
            ["ResourceConfig"] = new JsonObject
            {
                ["Imported"] = false,
                ["Permissions"] = new JsonObject { ["Authenticated"] = new JsonArray("READ", "DELETE") },
                ["ServiceName"] = "S3",
            },
        });
        Assert.Equal("""{"resourceConfig":{"imported":false,"permissions":{"authenticated":["READ","DELETE"]},"serviceName":"S3"}}""", json);
    }

    [Fact]
    public void A_member_outside_the_shape_is_a_server_bug()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Serialize("DeleteToken", new JsonObject { ["Nope"] = 1 }));
        Assert.Contains("Nope", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Serialize("DeleteToken", new JsonObject { ["IsSuccess"] = "yes" }));
    }

    [Fact]
    public void Errors_carry_the_model_status_and_members_by_wire_name()
    {
        var (status, body) = ErrorSerializer.Serialize(AmplifyBackendModel.Instance,
            new AwsErrorException("NotFoundException", "gone", new Dictionary<string, string> { ["ResourceType"] = "App" }));
        Assert.Equal(404, status);
        Assert.Equal("""{"message":"gone","resourceType":"App"}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Common_errors_use_their_own_status()
    {
        var (status, body) = ErrorSerializer.Serialize(AmplifyBackendModel.Instance, CommonErrors.MissingAuthenticationToken());
        Assert.Equal(403, status);
        Assert.Equal("""{"message":"Missing Authentication Token"}""", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void Error_messages_are_cut_to_a_bounded_length_on_a_character_boundary()
    {
        var quoted = new string('x', 1020) + "\U0001F600\U0001F600" + new string('y', 5000);
        var (_, body) = ErrorSerializer.Serialize(AmplifyBackendModel.Instance, new AwsErrorException("NotFoundException", $"App {quoted} was not found."));
        var message = JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
        Assert.True(message.Length <= ErrorSerializer.MaxMessageLength, $"{message.Length}");
        Assert.EndsWith("...", message, StringComparison.Ordinal);
        Assert.StartsWith("App xxx", message, StringComparison.Ordinal);
    }
}

