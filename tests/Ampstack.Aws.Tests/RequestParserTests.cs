using System.Text;
using Ampstack.AmplifyBackend;
using Ampstack.Aws.Errors;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Tests;

public class RequestParserTests
{
    private static readonly Dictionary<string, string> AppLabels = new() { ["appId"] = "a1", ["backendEnvironmentName"] = "dev" };

    private static System.Text.Json.Nodes.JsonObject Parse(string operation, string body, Dictionary<string, string>? labels = null) =>
        RequestParser.Parse(AmplifyBackendModel.Instance.Operations[operation], labels ?? AppLabels, [], Encoding.UTF8.GetBytes(body));

    private static string Refused(string operation, string body, Dictionary<string, string>? labels = null)
    {
        var error = Assert.Throws<WireRefusalException>(() => Parse(operation, body, labels));
        Assert.Equal(WireRefusalKind.BadRequest, error.Kind);
        return error.Message;
    }

    [Fact]
    public void Maps_wire_names_to_member_names_and_merges_uri_labels()
    {
        var input = Parse("ListBackendJobs", """{"maxResults": 5, "operation": "CreateBackend", "nextToken": "t"}""");
        Assert.Equal("a1", (string?)input["AppId"]);
        Assert.Equal("dev", (string?)input["BackendEnvironmentName"]);
        Assert.Equal(5L, (long)input["MaxResults"]!);
        Assert.Equal("CreateBackend", (string?)input["Operation"]);
    }

    [Fact]
    public void Reads_snake_case_members_by_their_location_name()
    {
        var input = Parse("UpdateBackendConfig", """{"loginAuthConfig": {"aws_user_pools_id": "p1", "aws_cognito_region": "us-east-1"}}""",
            new() { ["appId"] = "a1" });
        Assert.Equal("p1", (string?)input["LoginAuthConfig"]!["AwsUserPoolsId"]);
    }

    [Fact]
    public void Empty_body_is_an_empty_input()
    {
        var input = Parse("GetBackend", "", new() { ["appId"] = "a1" });
        Assert.Single(input);
    }

    [Theory]
    [InlineData("{\"maxResults\": 0}", "'maxResults': 0 is less than the minimum of 1")]
    [InlineData("{\"maxResults\": 26}", "'maxResults': 26 is greater than the maximum of 25")]
    [InlineData("{\"maxResults\": \"5\"}", "Invalid type for 'maxResults': expected an integer, got a string")]
    [InlineData("{\"maxResults\": 1.5}", "'maxResults'")]
    [InlineData("{\"status\": 7}", "Invalid type for 'status'")]
    [InlineData("{\"bogus\": 1}", "Unknown member 'bogus'")]
    [InlineData("[1,2]", "must be a JSON object, not a list")]
    [InlineData("\"x\"", "must be a JSON object, not a string")]
    [InlineData("{\"maxResults\": ", "not valid JSON")]
    public void Refuses_bad_bodies_naming_the_member(string body, string expected) =>
        Assert.Contains(expected, Refused("ListBackendJobs", body), StringComparison.Ordinal);

    [Fact]
    public void Refuses_unknown_enum_values_listing_the_allowed_ones()
    {
        var message = Refused("CreateBackendStorage",
            """{"backendEnvironmentName":"dev","resourceName":"s","resourceConfig":""" +
            """{"serviceName":"GCS","permissions":{"authenticated":["READ"]}}}""",
            new() { ["appId"] = "a1" });
        Assert.Contains("'resourceConfig.serviceName': 'GCS' is not one of [S3]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_missing_required_members_with_their_path()
    {
        var message = Refused("CreateBackendStorage",
            """{"backendEnvironmentName":"dev","resourceName":"s","resourceConfig":{"serviceName":"S3"}}""",
            new() { ["appId"] = "a1" });
        Assert.Contains("Missing required member 'resourceConfig.permissions'", message, StringComparison.Ordinal);
        Assert.Contains("'resourceName'", Refused("GetBackendAuth", "{}"), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_wrong_types_inside_lists()
    {
        var message = Refused("CreateBackendStorage",
            """{"backendEnvironmentName":"dev","resourceName":"s","resourceConfig":""" +
            """{"serviceName":"S3","permissions":{"authenticated":["READ", 3]}}}""",
            new() { ["appId"] = "a1" });
        Assert.Contains("'resourceConfig.permissions.authenticated[1]'", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ListBackendJobs", """{"operation": "Create\u0000Backend"}""", "operation")]
    [InlineData("ListBackendJobs", """{"jobId": "\u0000", "status": "COMPLETED"}""", "jobId")]
    [InlineData("UpdateBackendJob", """{"operation": "x\u0000"}""", "operation")]
    [InlineData("CreateBackendStorage",
        """{"backendEnvironmentName":"dev","resourceName":"s","resourceConfig":""" +
        """{"serviceName":"S3","bucketName":"b\u0000","permissions":{"authenticated":["READ"]}}}""",
        "resourceConfig.bucketName")]
    [InlineData("CreateBackendStorage",
        """{"backendEnvironmentName":"dev","resourceName":"s","resourceConfig":""" +
        """{"serviceName":"S3","permissions":{"authenticated":["READ", "\u0000"]}}}""",
        "resourceConfig.permissions.authenticated[1]")]
    public void Refuses_the_nul_character_in_any_string_naming_the_member(string operation, string body, string member)
    {
        var labels = new Dictionary<string, string> { ["appId"] = "a1", ["backendEnvironmentName"] = "dev", ["jobId"] = "j" };
        Assert.Contains($"Invalid value for '{member}': must not contain the NUL character (U+0000)",
            Refused(operation, body, labels), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_the_nul_character_in_uri_labels_and_keeps_other_control_characters()
    {
        var message = Refused("GetBackendJob", "", new() { ["appId"] = "a1", ["backendEnvironmentName"] = "d\0v", ["jobId"] = "j" });
        Assert.Contains("'backendEnvironmentName': must not contain the NUL character", message, StringComparison.Ordinal);
        Assert.Equal("\u0001\t", (string?)Parse("ListBackendJobs", """{"jobId": "\u0001\t"}""")["JobId"]);
    }

    [Fact]
    public void Refuses_empty_uri_labels()
    {
        var message = Refused("GetBackendJob", "", new() { ["appId"] = "a1", ["backendEnvironmentName"] = "", ["jobId"] = "j" });
        Assert.Contains("'backendEnvironmentName' must not be empty", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_body_for_operations_without_body_members()
    {
        Assert.Contains("Unknown member 'x'", Refused("DeleteBackend", """{"x":1}"""), StringComparison.Ordinal);
        Assert.Equal(2, Parse("DeleteBackend", "{}").Count);
    }

    [Fact]
    public void Null_members_count_as_absent()
    {
        var input = Parse("ListBackendJobs", """{"maxResults": null}""");
        Assert.Null(input["MaxResults"]);
        Assert.Contains("'resourceName'", Refused("GetBackendAuth", """{"resourceName": null}"""), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_documents_nested_too_deep()
    {
        var deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));
        Assert.Contains("deeper than 32 levels", Refused("ListBackendJobs", deep), StringComparison.Ordinal);
        var deepInMember = """{"jobId": "[[[[", "operation": """ + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" +
            new string('}', 41);
        Assert.Contains("deeper than 32 levels", Refused("ListBackendJobs", deepInMember), StringComparison.Ordinal);
    }

    [Fact]
    public void Tells_broken_json_from_deep_json()
    {
        // Brackets inside strings do not count as nesting.
        var broken = """{"jobId": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", """;
        Assert.Contains("not valid JSON", Refused("ListBackendJobs", broken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' })]
    [InlineData(new byte[] { (byte)'{', (byte)'"', (byte)'s', (byte)'"', (byte)':', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}' })]
    public void Refuses_text_that_is_not_utf8(byte[] body)
    {
        var error = Assert.Throws<WireRefusalException>(() =>
            RequestParser.Parse(AmplifyBackendModel.Instance.Operations["ListBackendJobs"], AppLabels, [], body));
        Assert.Equal(WireRefusalKind.BadRequest, error.Kind);
    }

    [Fact]
    public void Refuses_unpaired_surrogate_escapes() =>
        Assert.Contains("not valid UTF-8", Refused("ListBackendJobs", """{"status": "\udc00x"}"""), StringComparison.Ordinal);
}
