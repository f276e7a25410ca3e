using System.Text.Json.Nodes;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>IAM roles and their inline policies through the client (query protocol, XML answers), on a real moto server.</summary>
[Collection("moto")]
public sealed class IamOnMotoTests(MotoFixture moto) : IDisposable
{
    private const string TrustPolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},
        "Action":"sts:AssumeRoleWithWebIdentity",
        "Condition":{"ForAnyValue:StringLike":{"cognito-identity.amazonaws.com:amr":"authenticated"}}}]}
        """;

    private const string RolePolicy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::bucket/*"]}]}
        """;

    private readonly AwsServiceClient _iam = moto.Client(VendoredModels.Iam);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        _iam.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task A_role_with_a_trust_policy_and_a_role_policy_is_read_back_tagged_and_deleted()
    {
        var ct = _timeout.Token;
        var name = MotoFixture.Unique("ampstack-auth-");
        var created = await _iam.InvokeAsync("CreateRole", new JsonObject
        {
            ["RoleName"] = name,
            ["AssumeRolePolicyDocument"] = TrustPolicy,
            ["Description"] = "authenticated users of an identity pool",
            ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "ampstack:job", ["Value"] = "job-1" }),
        }, ct);
        var arn = (string)created["Role"]!["Arn"]!;
        Assert.EndsWith($":role/{name}", arn, StringComparison.Ordinal);

        var role = (await _iam.InvokeAsync("GetRole", new JsonObject { ["RoleName"] = name }, ct))["Role"]!;
        Assert.Equal(arn, (string?)role["Arn"]);
        Assert.Equal(3600, (int)role["MaxSessionDuration"]!);
        Assert.True(DateTimeOffset.TryParse((string?)role["CreateDate"], out _));
        // IAM answers policy documents URL-encoded (botocore decodes them in a handler of its IAM customisations).
        var trust = JsonNode.Parse(Uri.UnescapeDataString((string)role["AssumeRolePolicyDocument"]!))!;
        Assert.Equal("cognito-identity.amazonaws.com", (string?)trust["Statement"]![0]!["Principal"]!["Federated"]);

        await _iam.InvokeAsync("PutRolePolicy", new JsonObject
        {
            ["RoleName"] = name,
            ["PolicyName"] = "storage",
            ["PolicyDocument"] = RolePolicy,
        }, ct);
        var policies = await _iam.InvokeAsync("ListRolePolicies", new JsonObject { ["RoleName"] = name }, ct);
        Assert.Equal(["storage"], policies["PolicyNames"]!.AsArray().Select(p => (string?)p));
        Assert.False((bool)policies["IsTruncated"]!);

        await _iam.InvokeAsync("TagRole", new JsonObject
        {
            ["RoleName"] = name,
            ["Tags"] = new JsonArray(new JsonObject { ["Key"] = "ampstack:resource", ["Value"] = "auth" }),
        }, ct);

        var conflict = await Assert.ThrowsAsync<AwsServiceException>(() =>
            _iam.InvokeAsync("DeleteRole", new JsonObject { ["RoleName"] = name }, ct));
        Assert.Equal("DeleteConflict", conflict.ErrorCode);
        Assert.Equal("DeleteConflictException", conflict.ErrorShape);
        Assert.Equal(409, conflict.StatusCode);

        await _iam.InvokeAsync("DeleteRolePolicy", new JsonObject { ["RoleName"] = name, ["PolicyName"] = "storage" }, ct);
        await _iam.InvokeAsync("DeleteRole", new JsonObject { ["RoleName"] = name }, ct);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() =>
            _iam.InvokeAsync("GetRole", new JsonObject { ["RoleName"] = name }, ct));
        Assert.Equal("NoSuchEntity", gone.ErrorCode);
        Assert.Equal("NoSuchEntityException", gone.ErrorShape);
        Assert.Equal(404, gone.StatusCode);
        Assert.False(string.IsNullOrEmpty(gone.RequestId));
    }
}
