using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Protocols;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Tests;

/// <summary>The rest-xml and query protocols over the vendored S3, CloudFormation and STS models.</summary>
public class ProtocolTests
{
    private readonly OperationRouter _s3 = new(VendoredModels.S3);

    [Theory]
    [InlineData("GET", "/", "", "ListBuckets")]
    [InlineData("GET", "/bucket", "", "ListObjects")]
    [InlineData("GET", "/bucket", "list-type=2", "ListObjectsV2")]
    [InlineData("GET", "/bucket/", "list-type=2&prefix=a", "ListObjectsV2")]
    [InlineData("GET", "/bucket", "location", "GetBucketLocation")]
    [InlineData("HEAD", "/bucket", "", "HeadBucket")]
    [InlineData("GET", "/bucket/key", "", "GetObject")]
    [InlineData("GET", "/bucket/key", "x-id=GetObject", "GetObject")]
    [InlineData("HEAD", "/bucket/a/b", "", "HeadObject")]
    public void S3_routes_by_path_and_required_query_keys(string method, string path, string query, string operation)
    {
        var match = _s3.Match(method, path, Query(query));
        Assert.NotNull(match);
        Assert.Equal(operation, match.Operation.Name);
    }

    [Fact]
    public void A_greedy_label_takes_the_rest_of_the_path_each_segment_decoded()
    {
        var match = _s3.Match("GET", "/amplify-x-deployment/models/api/%23current-cloud-backend.zip", []);
        Assert.NotNull(match);
        Assert.Equal("amplify-x-deployment", match.Labels["Bucket"]);
        Assert.Equal("models/api/#current-cloud-backend.zip", match.Labels["Key"]);
    }

    [Fact]
    public void The_stage_prefix_is_a_bucket_name_where_the_service_does_not_accept_it()
    {
        var match = _s3.Match("GET", "/prod/key", []);
        Assert.Equal("prod", match!.Labels["Bucket"]);
        Assert.Null(_s3.Match("PUT", "/bucket/key", []));
    }

    [Fact]
    public void Query_input_reads_scalars_lists_and_the_action_from_a_form_body()
    {
        var protocol = new QueryProtocol(VendoredModels.CloudFormation);
        var request = Form("Action=ListStacks&Version=2010-05-15&StackStatusFilter.member.1=CREATE_COMPLETE"
            + "&StackStatusFilter.member.2=UPDATE_COMPLETE&NextToken=abc%3D%3D");
        var match = protocol.Route(request);
        Assert.Equal("ListStacks", match!.Operation.Name);
        var input = protocol.ParseInput(match, request);
        Assert.Equal("abc==", (string?)input["NextToken"]);
        Assert.Equal(["CREATE_COMPLETE", "UPDATE_COMPLETE"], input["StackStatusFilter"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Query_input_is_validated_by_the_model_like_any_other()
    {
        var protocol = new QueryProtocol(VendoredModels.CloudFormation);
        var request = Form("Action=ListStacks&StackStatusFilter.member.1=SLEEPING");
        var error = Assert.Throws<WireRefusalException>(() => protocol.ParseInput(protocol.Route(request)!, request));
        Assert.Contains("StackStatusFilter[0]", error.Message, StringComparison.Ordinal);
        Assert.Null(protocol.Route(Form("Action=DeleteStack&StackName=x")));
        Assert.Throws<WireRefusalException>(() => protocol.Route(Form("StackName=x")));
    }

    [Fact]
    public void A_query_string_list_is_its_key_repeated()
    {
        var untag = VendoredModels.Amplify.Operations["UntagResource"];
        var labels = new Dictionary<string, string> { ["resourceArn"] = "arn:aws:amplify:us-east-1:000000000000:apps/d1" };
        var input = RequestParser.Parse(untag, labels, [new("tagKeys", "a"), new("tagKeys", "missing")], ReadOnlyMemory<byte>.Empty);
        Assert.Equal(["a", "missing"], input["tagKeys"]!.AsArray().Select(n => (string?)n));
        var tooMany = Enumerable.Range(0, 51).Select(i => new KeyValuePair<string, string>("tagKeys", $"k{i}")).ToList();
        Assert.Throws<WireRefusalException>(() => RequestParser.Parse(untag, labels, tooMany, ReadOnlyMemory<byte>.Empty));
    }

    [Fact]
    public async Task A_query_service_answers_the_wire_layers_refusals_under_its_own_codes()
    {
        var protocol = new QueryProtocol(VendoredModels.Sts, new ServiceOptions
        {
            WireErrorCodes = new Dictionary<string, (string, int)> { ["InvalidSignatureException"] = ("SignatureDoesNotMatch", 403) },
        });
        var http = new DefaultHttpContext();
        http.Response.Body = new MemoryStream();
        await protocol.WriteErrorAsync(http, VendoredModels.Sts, CommonErrors.InvalidSignature("no match"), "r1");
        Assert.Equal(403, http.Response.StatusCode);
        var error = XDocument.Parse(Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray())).Root!.Elements()
            .First(e => e.Name.LocalName == "Error");
        Assert.Equal("SignatureDoesNotMatch", error.Elements().First(e => e.Name.LocalName == "Code").Value);
        Assert.Equal("Sender", error.Elements().First(e => e.Name.LocalName == "Type").Value);
    }

    [Fact]
    public void Query_actions_may_come_in_the_query_string()
    {
        var protocol = new QueryProtocol(VendoredModels.Sts);
        var http = new DefaultHttpContext().Request;
        var request = new WireRequest(http, "/", [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")],
            ReadOnlyMemory<byte>.Empty);
        Assert.True(protocol.Claims(request));
        Assert.Equal("GetCallerIdentity", protocol.Route(request)!.Operation.Name);
    }

    [Fact]
    public void Xml_lists_are_wrapped_in_member_elements_or_flattened_as_the_model_says()
    {
        var stacks = JsonNode.Parse("""
            {"Stacks": [{"StackName": "s", "StackId": "arn", "StackStatus": "CREATE_COMPLETE",
              "CreationTime": "2026-12-06T13:14:15.5+00:00",
              "Outputs": [{"OutputKey": "K", "OutputValue": "V <&>"}]}]}
            """)!.AsObject();
        var cfn = Write(VendoredModels.CloudFormation.GetShape("DescribeStacksOutput"), stacks);
        var member = cfn.Element("Stacks")!.Element("member")!;
        Assert.Equal("2026-12-06T13:14:15.500Z", member.Element("CreationTime")!.Value);
        Assert.Equal("V <&>", member.Element("Outputs")!.Element("member")!.Element("OutputValue")!.Value);

        var listing = JsonNode.Parse("""
            {"Name": "b", "IsTruncated": false, "Contents": [{"Key": "a", "Size": 3}, {"Key": "b", "Size": 4}],
             "CommonPrefixes": [{"Prefix": "models/"}]}
            """)!.AsObject();
        var s3 = Write(VendoredModels.S3.GetShape("ListObjectsV2Output"), listing);
        Assert.Equal(["a", "b"], s3.Elements("Contents").Select(c => c.Element("Key")!.Value));
        Assert.Equal("false", s3.Element("IsTruncated")!.Value);
        Assert.Equal("models/", s3.Element("CommonPrefixes")!.Element("Prefix")!.Value);
    }

    [Fact]
    public void Xml_text_has_no_character_xml_forbids()
    {
        Assert.Equal("a\uFFFDb", XmlShapeWriter.Clean("a\u0001b"));
        Assert.Equal("tab\tnew\nline", XmlShapeWriter.Clean("tab\tnew\nline"));
    }

    private static XElement Write(Model.Shape shape, JsonObject members)
    {
        var bytes = XmlShapeWriter.Document(writer =>
        {
            writer.WriteStartElement("Root");
            XmlShapeWriter.WriteMembers(writer, shape, members);
            writer.WriteEndElement();
        });
        return XDocument.Parse(Encoding.UTF8.GetString(bytes)).Root!;
    }

    private static List<KeyValuePair<string, string>> Query(string query) =>
        query.Length == 0 ? [] : Auth.SigV4.ParseQuery(query);

    private static WireRequest Form(string body)
    {
        var http = new DefaultHttpContext().Request;
        http.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        return new WireRequest(http, "/", [], Encoding.UTF8.GetBytes(body));
    }
}
