using System.Text;
using System.Text.Json.Nodes;
using Ampstack.Aws.Client.Wire;

namespace Ampstack.Aws.Client.Tests;

/// <summary>Answers and errors read from each protocol's forms into member-keyed outputs and typed errors.</summary>
public class ResponseReaderTests
{
    private static readonly Func<string, string?> NoHeaders = _ => null;

    [Fact]
    public void A_query_answer_is_read_from_its_result_wrapper_with_lists_numbers_and_timestamps()
    {
        var xml = """
            <GetRoleResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRoleResult><Role><Path>/</Path>
            <RoleName>r</RoleName><RoleId>AROA1</RoleId><Arn>arn:aws:iam::123456789012:role/r</Arn>
            <CreateDate>2026-12-06T16:16:27.347402Z</CreateDate><AssumeRolePolicyDocument>%7B%7D</AssumeRolePolicyDocument>
            <MaxSessionDuration>3600</MaxSessionDuration><Tags><member><Key>a</Key><Value>b</Value></member>
            <member><Key>c</Key><Value></Value></member></Tags><RoleLastUsed/><Unknown>x</Unknown></Role></GetRoleResult>
            <ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></GetRoleResponse>
            """;
        var output = ResponseReader.Read(VendoredModels.Iam, VendoredModels.Iam.Operations["GetRole"], NoHeaders,
            Encoding.UTF8.GetBytes(xml));
        var role = output["Role"]!;
        Assert.Equal("arn:aws:iam::123456789012:role/r", (string?)role["Arn"]);
        Assert.Equal(3600L, (long)role["MaxSessionDuration"]!);
        Assert.Equal("2026-12-06T16:16:27.3474020+00:00", (string?)role["CreateDate"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"Key":"a","Value":"b"},{"Key":"c","Value":""}]"""), role["Tags"]));
        Assert.Null(role["Unknown"]);
    }

    [Fact]
    public void A_json_answer_is_read_by_wire_name_with_epoch_timestamps_as_iso_text_and_unknown_members_ignored()
    {
        var body = """{"UserPools":[{"Id":"p","CreationDate":1765037335.518,"Future":true}],"NextToken":null}"""u8.ToArray();
        var output = ResponseReader.Read(VendoredModels.CognitoIdp, VendoredModels.CognitoIdp.Operations["ListUserPools"], NoHeaders, body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"UserPools":[{"Id":"p","CreationDate":"2025-12-06T16:08:55.5180000+00:00"}]}"""),
            output));
    }

    [Fact]
    public void A_blob_payload_is_the_raw_body_in_base64()
    {
        var output = ResponseReader.Read(VendoredModels.AppSync, VendoredModels.AppSync.Operations["GetIntrospectionSchema"], NoHeaders,
            "type Query { a: String }"u8.ToArray());
        Assert.Equal("type Query { a: String }", Encoding.UTF8.GetString(Convert.FromBase64String((string)output["schema"]!)));
    }

    [Theory]
    [InlineData("NotFoundException:http://internal.amazon.com/coral/com.amazonaws.deepengine/", "{}", "NotFoundException")]
    [InlineData(null, """{"__type":"com.amazonaws.appsync#BadRequestException","message":"m"}""", "BadRequestException")]
    [InlineData(null, """{"code":"ConcurrentModificationException","Message":"m"}""", "ConcurrentModificationException")]
    public void A_json_error_code_comes_from_the_header_else_the_body_without_namespace_or_suffix(string? header, string body, string code)
    {
        var error = ErrorReader.Read(VendoredModels.AppSync, 400, name => name == "x-amzn-ErrorType" ? header : null,
            Encoding.UTF8.GetBytes(body));
        Assert.Equal(code, error.Code);
        Assert.Equal(code, error.Shape);
    }

    [Fact]
    public void A_json_error_keeps_the_members_of_its_shape()
    {
        var body = """{"__type":"BadRequestException","message":"bad","reason":"CODE_ERROR","detail":{"codeErrors":[]}}"""u8.ToArray();
        var error = ErrorReader.Read(VendoredModels.AppSync, 400, NoHeaders, body);
        Assert.Equal("bad", error.Message);
        Assert.Equal("CODE_ERROR", (string?)error.Members["reason"]);
    }

    [Fact]
    public void An_xml_error_code_is_mapped_to_the_model_shape_that_declares_it()
    {
        var body = """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>
            <Message>Role r not found</Message></Error><RequestId>abc</RequestId></ErrorResponse>
            """u8.ToArray();
        var error = ErrorReader.Read(VendoredModels.Iam, 404, NoHeaders, body);
        Assert.Equal(("NoSuchEntity", "NoSuchEntityException", "Role r not found", "abc"),
            (error.Code, error.Shape, error.Message, error.RequestId));
    }

    [Fact]
    public void A_body_without_an_aws_error_gives_the_status_as_code_and_the_start_of_its_text()
    {
        var body = "<!doctype html><html><title>500 Internal Server Error</title><h1>Internal Server Error</h1></html>"u8.ToArray();
        var error = ErrorReader.Read(VendoredModels.CognitoIdp, 500, name => name == "Retry-After" ? "3" : null, body);
        Assert.Equal("500", error.Code);
        Assert.Null(error.Shape);
        Assert.Equal("HTTP 500 with no AWS error in the body: 500 Internal Server Error Internal Server Error", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
    }
}
