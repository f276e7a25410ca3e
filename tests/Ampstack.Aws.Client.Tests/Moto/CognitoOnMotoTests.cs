using System.Text.Json.Nodes;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>Cognito user pools and identity pools through the client, on a real moto server.</summary>
[Collection("moto")]
public sealed class CognitoOnMotoTests(MotoFixture moto) : IDisposable
{
    private const string GoodPassword = "Correct-horse-9";
    private readonly AwsServiceClient _idp = moto.Client(VendoredModels.CognitoIdp);
    private readonly AwsServiceClient _identity = moto.Client(VendoredModels.CognitoIdentity);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        _idp.Dispose();
        _identity.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task A_pool_with_a_password_policy_refuses_a_short_password_and_signs_a_confirmed_user_in()
    {
        var ct = _timeout.Token;
        var poolId = await CreatePoolAsync(ct);
        var clientId = await CreateWebClientAsync(poolId, ct);

        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => _idp.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = clientId,
            ["Username"] = "short",
            ["Password"] = "Sh0rt-x",
        }, ct));
        Assert.Equal("InvalidPasswordException", refused.ErrorCode);
        Assert.Equal("InvalidPasswordException", refused.ErrorShape);
        Assert.Equal(400, refused.StatusCode);
        Assert.Contains("password policy", refused.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, refused.Attempts);

        var username = MotoFixture.Unique("user");
        var signUp = await _idp.InvokeAsync("SignUp", new JsonObject
        {
            ["ClientId"] = clientId,
            ["Username"] = username,
            ["Password"] = GoodPassword,
            ["UserAttributes"] = new JsonArray(new JsonObject { ["Name"] = "email", ["Value"] = $"{username}@example.com" }),
        }, ct);
        Assert.False((bool)signUp["UserConfirmed"]!);
        Assert.False(string.IsNullOrEmpty((string?)signUp["UserSub"]));

        await _idp.InvokeAsync("AdminConfirmSignUp", new JsonObject { ["UserPoolId"] = poolId, ["Username"] = username }, ct);
        var auth = await _idp.InvokeAsync("InitiateAuth", new JsonObject
        {
            ["ClientId"] = clientId,
            ["AuthFlow"] = "USER_PASSWORD_AUTH",
            ["AuthParameters"] = new JsonObject { ["USERNAME"] = username, ["PASSWORD"] = GoodPassword },
        }, ct);
        var tokens = auth["AuthenticationResult"]!;
        Assert.Equal(3, ((string)tokens["IdToken"]!).Split('.').Length);
        Assert.Equal(3, ((string)tokens["AccessToken"]!).Split('.').Length);
        Assert.False(string.IsNullOrEmpty((string?)tokens["RefreshToken"]));

        await _idp.InvokeAsync("DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = poolId, ["ClientId"] = clientId }, ct);
        await DeletePoolAsync(poolId, ct);
    }

    [Fact]
    public async Task A_pool_is_described_updated_listed_and_deleted_with_its_client_and_domain()
    {
        var ct = _timeout.Token;
        var poolId = await CreatePoolAsync(ct);
        var pool = (await _idp.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = poolId }, ct))["UserPool"]!;
        Assert.Equal(12, (int)pool["Policies"]!["PasswordPolicy"]!["MinimumLength"]!);
        Assert.True(DateTimeOffset.TryParse((string?)pool["CreationDate"], out _), "timestamps come out as ISO 8601 text");

        await _idp.InvokeAsync("UpdateUserPool", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["Policies"] = Policy(minimumLength: 8),
        }, ct);
        pool = (await _idp.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = poolId }, ct))["UserPool"]!;
        Assert.Equal(8, (int)pool["Policies"]!["PasswordPolicy"]!["MinimumLength"]!);
        Assert.Equal(poolId, (string?)pool["Id"]);

        var pools = await _idp.InvokeAsync("ListUserPools", new JsonObject { ["MaxResults"] = 60 }, ct);
        Assert.Contains(pools["UserPools"]!.AsArray(), p => (string?)p!["Id"] == poolId);

        var clientId = await CreateWebClientAsync(poolId, ct);
        var client = (await _idp.InvokeAsync("DescribeUserPoolClient",
            new JsonObject { ["UserPoolId"] = poolId, ["ClientId"] = clientId }, ct))["UserPoolClient"]!;
        Assert.Equal("web", (string?)client["ClientName"]);
        Assert.Null(client["ClientSecret"]);
        var clients = await _idp.InvokeAsync("ListUserPoolClients", new JsonObject { ["UserPoolId"] = poolId }, ct);
        Assert.Contains(clients["UserPoolClients"]!.AsArray(), c => (string?)c!["ClientId"] == clientId);

        var domain = MotoFixture.Unique("ampstack-");
        await _idp.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["UserPoolId"] = poolId, ["Domain"] = domain }, ct);
        await _idp.InvokeAsync("DeleteUserPoolDomain", new JsonObject { ["UserPoolId"] = poolId, ["Domain"] = domain }, ct);

        await _idp.InvokeAsync("DeleteUserPoolClient", new JsonObject { ["UserPoolId"] = poolId, ["ClientId"] = clientId }, ct);
        await DeletePoolAsync(poolId, ct);
    }

    [Fact]
    public async Task An_identity_pool_linked_to_the_web_client_is_described_updated_listed_and_deleted()
    {
        var ct = _timeout.Token;
        var poolId = await CreatePoolAsync(ct);
        var clientId = await CreateWebClientAsync(poolId, ct);
        var provider = $"cognito-idp.us-east-1.amazonaws.com/{poolId}";
        var name = MotoFixture.Unique("ampstack_");
        var created = await _identity.InvokeAsync("CreateIdentityPool", new JsonObject
        {
            ["IdentityPoolName"] = name,
            ["AllowUnauthenticatedIdentities"] = false,
            ["CognitoIdentityProviders"] = new JsonArray(new JsonObject
            {
                ["ProviderName"] = provider,
                ["ClientId"] = clientId,
                ["ServerSideTokenCheck"] = false,
            }),
        }, ct);
        var identityPoolId = (string)created["IdentityPoolId"]!;

        var described = await _identity.InvokeAsync("DescribeIdentityPool", new JsonObject { ["IdentityPoolId"] = identityPoolId }, ct);
        var linked = Assert.Single(described["CognitoIdentityProviders"]!.AsArray())!;
        Assert.Equal(provider, (string?)linked["ProviderName"]);
        Assert.Equal(clientId, (string?)linked["ClientId"]);
        Assert.False((bool)described["AllowUnauthenticatedIdentities"]!);

        var updated = await _identity.InvokeAsync("UpdateIdentityPool", new JsonObject
        {
            ["IdentityPoolId"] = identityPoolId,
            ["IdentityPoolName"] = name,
            ["AllowUnauthenticatedIdentities"] = true,
            ["CognitoIdentityProviders"] = described["CognitoIdentityProviders"]!.DeepClone(),
        }, ct);
        Assert.True((bool)updated["AllowUnauthenticatedIdentities"]!);

        var pools = await _identity.InvokeAsync("ListIdentityPools", new JsonObject { ["MaxResults"] = 60 }, ct);
        Assert.Contains(pools["IdentityPools"]!.AsArray(), p => (string?)p!["IdentityPoolId"] == identityPoolId);

        await _identity.InvokeAsync("DeleteIdentityPool", new JsonObject { ["IdentityPoolId"] = identityPoolId }, ct);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() =>
            _identity.InvokeAsync("DescribeIdentityPool", new JsonObject { ["IdentityPoolId"] = identityPoolId }, ct));
        Assert.Equal("ResourceNotFoundException", gone.ErrorShape);
        await DeletePoolAsync(poolId, ct);
    }

    private async Task<string> CreatePoolAsync(CancellationToken ct)
    {
        var created = await _idp.InvokeAsync("CreateUserPool", new JsonObject
        {
            ["PoolName"] = MotoFixture.Unique("ampstack-"),
            ["Policies"] = Policy(minimumLength: 12),
            ["AutoVerifiedAttributes"] = new JsonArray("email"),
            ["UserPoolTags"] = new JsonObject { ["ampstack:test"] = "client" },
        }, ct);
        return (string)created["UserPool"]!["Id"]!;
    }

    private async Task<string> CreateWebClientAsync(string poolId, CancellationToken ct)
    {
        var created = await _idp.InvokeAsync("CreateUserPoolClient", new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["ClientName"] = "web",
            ["GenerateSecret"] = false,
            ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
        }, ct);
        return (string)created["UserPoolClient"]!["ClientId"]!;
    }

    private async Task DeletePoolAsync(string poolId, CancellationToken ct)
    {
        await _idp.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = poolId }, ct);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() =>
            _idp.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = poolId }, ct));
        Assert.Equal("ResourceNotFoundException", gone.ErrorCode);
    }

    private static JsonObject Policy(int minimumLength) => new()
    {
        ["PasswordPolicy"] = new JsonObject
        {
            ["MinimumLength"] = minimumLength,
            ["RequireUppercase"] = true,
            ["RequireLowercase"] = true,
            ["RequireNumbers"] = true,
            ["RequireSymbols"] = false,
        },
    };
}
