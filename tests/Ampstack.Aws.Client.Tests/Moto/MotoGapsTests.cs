using System.Text.Json.Nodes;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>
/// The operations provisioning calls that moto 5.2.1 does not serve, and exactly how it says so: what the provisioning
/// jobs must treat as "this endpoint does not implement the step" (issue 23). moto answers an unimplemented action with a
/// 500 HTML page (NotImplementedError) and an unknown route with a 404 HTML page; the client reports either with the status
/// as its code, as botocore does. When moto learns one of them, this test fails and the list shrinks.
/// </summary>
[Collection("moto")]
public sealed class MotoGapsTests(MotoFixture moto) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Moto_5_2_1_does_not_serve_tags_on_user_pools_identity_pool_roles_or_appsync_data_sources_resolvers_and_types()
    {
        var ct = _timeout.Token;
        // One attempt each: a 500 would otherwise be retried, and these will not get better.
        using var idp = moto.Client(VendoredModels.CognitoIdp, maxAttempts: 1);
        using var identity = moto.Client(VendoredModels.CognitoIdentity, maxAttempts: 1);
        using var appsync = moto.Client(VendoredModels.AppSync, maxAttempts: 1);
        var pool = await idp.InvokeAsync("CreateUserPool", new JsonObject { ["PoolName"] = MotoFixture.Unique("gaps-") }, ct);
        var poolArn = (string)pool["UserPool"]!["Arn"]!;
        var identityPool = await identity.InvokeAsync("CreateIdentityPool", new JsonObject
        {
            ["IdentityPoolName"] = MotoFixture.Unique("gaps_"),
            ["AllowUnauthenticatedIdentities"] = true,
        }, ct);
        var identityPoolId = (string)identityPool["IdentityPoolId"]!;
        var api = await appsync.InvokeAsync("CreateGraphqlApi", new JsonObject
        {
            ["name"] = MotoFixture.Unique("gaps-"),
            ["authenticationType"] = "API_KEY",
        }, ct);
        var apiId = (string)api["graphqlApi"]!["apiId"]!;

        var gaps = new (AwsServiceClient Client, string Operation, JsonObject Input, int Status)[]
        {
            (idp, "TagResource", new() { ["ResourceArn"] = poolArn, ["Tags"] = new JsonObject { ["a"] = "b" } }, 500),
            (idp, "ListTagsForResource", new() { ["ResourceArn"] = poolArn }, 500),
            (identity, "SetIdentityPoolRoles", new()
            {
                ["IdentityPoolId"] = identityPoolId,
                ["Roles"] = new JsonObject { ["authenticated"] = "arn:aws:iam::123456789012:role/auth" },
            }, 500),
            (identity, "GetIdentityPoolRoles", new() { ["IdentityPoolId"] = identityPoolId }, 500),
            (appsync, "CreateDataSource", new() { ["apiId"] = apiId, ["name"] = "none", ["type"] = "NONE" }, 404),
            (appsync, "CreateResolver",
                new() { ["apiId"] = apiId, ["typeName"] = "Query", ["fieldName"] = "f", ["dataSourceName"] = "none" }, 500),
            (appsync, "ListTypes", new() { ["apiId"] = apiId, ["format"] = "SDL" }, 404),
        };
        foreach (var (client, operation, input, status) in gaps)
        {
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.InvokeAsync(operation, input, ct));
            Assert.True(error.StatusCode == status, $"{operation}: expected HTTP {status}, got {error.Message}");
            Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.ErrorCode);
            Assert.Null(error.ErrorShape);
        }

        await appsync.InvokeAsync("DeleteGraphqlApi", new JsonObject { ["apiId"] = apiId }, ct);
        await identity.InvokeAsync("DeleteIdentityPool", new JsonObject { ["IdentityPoolId"] = identityPoolId }, ct);
        await idp.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = (string)pool["UserPool"]!["Id"]! }, ct);
    }
}
