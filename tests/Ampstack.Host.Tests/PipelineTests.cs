using System.Net;
using System.Text.Json;

namespace Ampstack.Host.Tests;

public sealed class PipelineTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string messagePart)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(type, response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await JsonAsync(response);
        Assert.Contains(messagePart, body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CreateAppAsync(string accessKey = "test", string region = "us-east-1")
    {
        var appId = "app" + Guid.NewGuid().ToString("N")[..10];
        var response = await server.PostAsync("/backend", $$"""{"appId":"{{appId}}","appName":"n","backendEnvironmentName":"dev"}""",
            accessKey, region);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return appId;
    }

    [Fact]
    public async Task Success_answers_json_with_a_request_id()
    {
        var appId = await CreateAppAsync();
        var response = await server.PostAsync($"/backend/{appId}/details", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Guid.TryParse(response.Headers.GetValues("x-amzn-RequestId").Single(), out _));
        var body = await JsonAsync(response);
        Assert.Equal(appId, body.GetProperty("appId").GetString());
        Assert.Equal("dev", body.GetProperty("backendEnvironmentName").GetString());
        Assert.False(body.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task The_prod_stage_prefix_is_an_alias()
    {
        var appId = await CreateAppAsync();
        var response = await server.PostAsync($"/prod/backend/{appId}/details", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_authorization_is_403_missing_token()
    {
        var response = await server.SendAsync(HttpMethod.Post, "/backend/a/details", "{}", signing: Signing.None);
        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "MissingAuthenticationTokenException", "Missing Authentication Token");
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
    }

    [Fact]
    public async Task Unknown_routes_are_404_in_the_error_shape()
    {
        var response = await server.SendAsync(HttpMethod.Post, "/nothing/here", "{}");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "NotFoundException", "No operation matches POST /nothing/here");
    }

    [Fact]
    public async Task Preflight_answers_cors_for_known_routes()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(server.BaseAddress, "/backend/a/challenge"));
        request.Headers.Add("Origin", "https://example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("authorization,content-type", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Contains("POST", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bodies_over_one_mebibyte_are_400()
    {
        var big = "{\"appId\":\"" + new string('a', 1024 * 1024) + "\"}";
        var response = await server.PostAsync("/backend", big);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "BadRequestException", "larger than the limit");
    }

    [Fact]
    public async Task Not_found_carries_the_resource_type()
    {
        var response = await server.PostAsync("/backend/missing-app/details", "{}");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "NotFoundException", "missing-app");
        Assert.Equal("App", (await JsonAsync(response)).GetProperty("resourceType").GetString());
    }

    [Fact]
    public async Task Encoded_slashes_and_percent_signs_in_path_identifiers_are_decoded_once()
    {
        var appId = "a/b%41-" + Guid.NewGuid().ToString("N")[..6];
        var created = await server.PostAsync("/backend", $$"""{"appId":"{{appId}}","appName":"n","backendEnvironmentName":"dev"}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var response = await server.PostAsync($"/backend/{Uri.EscapeDataString(appId)}/details", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(appId, (await JsonAsync(response)).GetProperty("appId").GetString());
    }

    [Fact]
    public async Task Broken_chunked_framing_is_400_in_the_error_shape()
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        var request = "POST /backend/x/details HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n" +
            "Authorization: AWS4-HMAC-SHA256 Credential=t/20261126/us-east-1/amplifybackend/aws4_request, " +
            "SignedHeaders=host, Signature=0\r\n\r\n" +
            "zz-not-a-size\r\n{}\r\n0\r\n\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer);
        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 400", text, StringComparison.Ordinal);
        Assert.Contains("x-amzn-ErrorType: BadRequestException", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_path_identifiers_are_400()
    {
        var response = await server.SendAsync(HttpMethod.Get, $"/backend/{new string('x', 300)}/job/dev/j");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "BadRequestException", "'appId' is 300 characters long");
    }

    [Fact]
    public async Task Accounts_and_regions_are_separate_partitions()
    {
        var appId = await CreateAppAsync("111111111111");
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync($"/backend/{appId}/details", "{}", "111111111111")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.PostAsync($"/backend/{appId}/details", "{}", "222222222222")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await server.PostAsync($"/backend/{appId}/details", "{}", "111111111111", "eu-west-1")).StatusCode);
    }

    /// <summary>Every operation, fed hostile bodies, answers 4xx in the error shape and never 5xx; nothing is stored.</summary>
    [Fact]
    public async Task No_input_makes_any_operation_answer_5xx_or_change_state()
    {
        var appId = await CreateAppAsync();
        string[] bodies =
        [
            "{", "[]", "null", "42", "\"s\"", "{\"a\":", "{\"appId\": {}}", "{\"resourceConfig\": 5}", "{\"maxResults\": -1}",
            "{\"maxResults\": 99999999999999999999}", "{\"resourceName\": [\"x\"]}", "{\"backendEnvironmentName\": true}",
            "{\"resourceConfig\": {\"userPoolConfigs\": {\"signInMethod\": \"FAX\"}}}", "\u0000\u0001", "{\"nextToken\": \"forged.token\"}",
        ];
        foreach (var operation in AmplifyBackend.AmplifyBackendModel.Instance.Operations.Values)
        {
            var path = operation.RequestUri.Replace("{appId}", appId, StringComparison.Ordinal)
                .Replace("{backendEnvironmentName}", "dev", StringComparison.Ordinal)
                .Replace("{jobId}", "j", StringComparison.Ordinal).Replace("{sessionId}", "s", StringComparison.Ordinal);
            foreach (var body in bodies)
            {
                var response = await server.SendAsync(new HttpMethod(operation.HttpMethod), path,
                    operation.HttpMethod == "GET" ? null : body);
                var status = (int)response.StatusCode;
                Assert.True(status is >= 400 and < 500, $"{operation.Name} with {body} answered {status}");
                Assert.True(response.Headers.Contains("x-amzn-ErrorType"), $"{operation.Name} with {body}: no error type");
                var message = (await JsonAsync(response)).GetProperty("message").GetString();
                Assert.False(string.IsNullOrEmpty(message), $"{operation.Name} with {body}: no message");
            }
        }

        var details = await JsonAsync(await server.PostAsync($"/backend/{appId}/details", "{}"));
        Assert.Equal(1, details.GetProperty("backendEnvironmentList").GetArrayLength());
        var meta = JsonDocument.Parse(details.GetProperty("amplifyMetaConfig").GetString()!).RootElement;
        Assert.Empty(meta.GetProperty("auth").EnumerateObject());
        Assert.Empty(meta.GetProperty("api").EnumerateObject());
        Assert.Empty(meta.GetProperty("storage").EnumerateObject());
    }

    [Fact]
    public async Task A_region_that_is_no_region_name_is_refused_and_makes_no_partition()
    {
        var response = await server.SendAsync(HttpMethod.Post, "/backend",
            """{"appId":"big","appName":"n","backendEnvironmentName":"dev"}""", region: new string('x', 5000), signing: Signing.FormOnly);
        await AssertErrorAsync(response, HttpStatusCode.Forbidden, "InvalidSignatureException",
            "Credential should be scoped to a valid region");
        Assert.True(response.Content.Headers.ContentLength < 500);
        var odd = await server.SendAsync(HttpMethod.Post, "/backend", """{"appId":"odd","appName":"n","backendEnvironmentName":"dev"}""",
            region: "us-east-1\u0001", signing: Signing.FormOnly);
        Assert.Equal(HttpStatusCode.Forbidden, odd.StatusCode);
        // A made-up but well-formed region is a partition like any other.
        Assert.Equal(HttpStatusCode.OK,
            (await server.PostAsync("/backend", """{"appId":"loc","appName":"n","backendEnvironmentName":"dev"}""",
                region: "local")).StatusCode);
    }

    [Fact]
    public async Task Json_nested_too_deep_is_named_as_such()
    {
        var appId = await CreateAppAsync();
        var deep = string.Concat(Enumerable.Repeat("""{"a":""", 10_000)) + "1" + new string('}', 10_000);
        var response = await server.PostAsync($"/backend/{appId}/details", deep);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "BadRequestException", "deeper than 32 levels");
    }
}
