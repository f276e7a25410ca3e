using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

public abstract class ResourceAndTokenTests : IDisposable
{
    private readonly DomainFixture _f;

    protected ResourceAndTokenTests(TestStoreKind kind)
    {
        _f = new DomainFixture(kind);
        _f.CreateBackendAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Auth_round_trips_exactly_and_updates_merge()
    {
        var config = AuthConfig();
        config["UserPoolConfigs"]!["OAuth"] = new JsonObject
        {
            ["OAuthGrantType"] = "CODE",
            ["OAuthScopes"] = new JsonArray("EMAIL", "OPENID"),
            ["RedirectSignInURIs"] = new JsonArray("https://b/", "https://a/"),
            ["RedirectSignOutURIs"] = new JsonArray(),
            ["SocialProviderSettings"] = new JsonObject { ["Google"] = new JsonObject { ["ClientId"] = "  spaced  " } },
        };
        await _f.Resources.CreateAuthAsync(P, "app", "dev", "auth1", config, default);
        var stored = await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Auth, "auth1", default);
        Assert.Equal(config.ToJsonString(), stored.Config.ToJsonString());

        var update = new JsonObject
        {
            ["AuthResources"] = "USER_POOL_ONLY",
            ["Service"] = "COGNITO",
            ["UserPoolConfigs"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12.0 } },
        };
        await _f.Resources.UpdateAsync(P, "app", "dev", ResourceKind.Auth, "auth1", update, "UpdateBackendAuth", default);
        stored = await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Auth, "auth1", default);
        Assert.Equal(12.0, (double)stored.Config["UserPoolConfigs"]!["PasswordPolicy"]!["MinimumLength"]!);
        Assert.Equal("  spaced  ", (string?)stored.Config["UserPoolConfigs"]!["OAuth"]!["SocialProviderSettings"]!["Google"]!["ClientId"]);
        Assert.Equal("pool", (string?)stored.Config["UserPoolConfigs"]!["UserPoolName"]);
    }

    [Fact]
    public async Task Updates_refresh_outputs_but_keep_the_identifiers()
    {
        await _f.Resources.CreateAuthAsync(P, "app", "dev", "auth1", AuthConfig(), default);
        var before = (await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Auth, "auth1", default)).Outputs;
        Assert.Null(before["IdentityPoolId"]);
        var update = new JsonObject
        {
            ["AuthResources"] = "IDENTITY_POOL_AND_USER_POOL",
            ["Service"] = "COGNITO",
            ["IdentityPoolConfigs"] = new JsonObject { ["IdentityPoolName"] = "ids", ["UnauthenticatedLogin"] = true },
            ["UserPoolConfigs"] = new JsonObject
            {
                ["OAuth"] = new JsonObject
                {
                    ["DomainPrefix"] = "login",
                    ["OAuthGrantType"] = "CODE",
                    ["OAuthScopes"] = new JsonArray("OPENID"),
                    ["RedirectSignInURIs"] = new JsonArray("https://a/"),
                    ["RedirectSignOutURIs"] = new JsonArray("https://a/"),
                },
            },
        };
        await _f.Resources.UpdateAsync(P, "app", "dev", ResourceKind.Auth, "auth1", update, "UpdateBackendAuth", default);
        var after = (await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Auth, "auth1", default)).Outputs;
        Assert.Equal((string?)before["UserPoolId"], (string?)after["UserPoolId"]);
        Assert.Equal((string?)before["AppClientIDWeb"], (string?)after["AppClientIDWeb"]);
        Assert.StartsWith("us-east-1:", (string?)after["IdentityPoolId"], StringComparison.Ordinal);
        Assert.Equal("login-dev", (string?)after["HostedUIDomain"]);

        await _f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type A { id: ID! }"), default);
        var api = (await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Api, "api", default)).Outputs;
        await _f.Resources.UpdateApiAsync(P, "app", "dev", "api", new JsonObject
        {
            ["DefaultAuthType"] = new JsonObject { ["Mode"] = "AWS_IAM" },
        }, default);
        var updatedApi = (await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Api, "api", default)).Outputs;
        Assert.Equal((string?)api["GraphQLAPIIdOutput"], (string?)updatedApi["GraphQLAPIIdOutput"]);
        Assert.Equal("AWS_IAM", (string?)updatedApi["authConfig"]!["defaultAuthentication"]!["authenticationType"]);
        Assert.Null(updatedApi["GraphQLAPIKeyOutput"]);
    }

    [Fact]
    public async Task An_environment_has_at_most_one_auth_and_one_storage()
    {
        await _f.Resources.CreateAuthAsync(P, "app", "dev", "a1", AuthConfig(), default);
        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            _f.Resources.ImportAuthAsync(P, "app", "dev", "us-east-1_x", "w", "n", null, default));
        Assert.Contains("already has auth resource a1", ex.Message, StringComparison.Ordinal);
        await _f.Resources.ImportStorageAsync(P, "app", "dev", "my-bucket", new JsonObject { ["ServiceName"] = "S3" }, default);
        await Assert.ThrowsAsync<DomainException>(() => _f.Resources.CreateStorageAsync(P, "app", "dev", "s", StorageConfig(), default));
    }

    [Fact]
    public async Task Storage_names_a_bucket_and_lists_buckets_by_name()
    {
        await _f.Resources.CreateStorageAsync(P, "app", "dev", "Photos", StorageConfig(), default);
        var storage = await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Storage, "Photos", default);
        Assert.Matches("^photos[0-9]{6}-dev$", storage.BucketName);
        await _f.CreateBackendAsync(env: "prod");
        await _f.Resources.ImportStorageAsync(P, "app", "prod", "aaa-imported", new JsonObject { ["ServiceName"] = "S3" }, default);
        var (buckets, next) = await _f.Resources.ListBucketsAsync(P, null, default);
        Assert.Equal(["aaa-imported", storage.BucketName], buckets.Select(b => b.Name));
        Assert.Null(next);
        Assert.Empty((await _f.Resources.ListBucketsAsync(new Partition("999999999999", "us-east-1"), null, default)).Buckets);
    }

    [Fact]
    public async Task Invalid_bucket_names_are_refused()
    {
        var config = StorageConfig();
        config["BucketName"] = "Not_A_Bucket";
        var ex = await Assert.ThrowsAsync<DomainException>(() => _f.Resources.CreateStorageAsync(P, "app", "dev", "s", config, default));
        Assert.Contains("resourceConfig.bucketName", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_expire_and_are_gone_after_delete()
    {
        var token = await _f.Tokens.CreateAsync(P, "app", default);
        Assert.True(token.ChallengeCode.Length >= 32);
        Assert.Equal(_f.Time.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds(), token.ExpiresAt);
        Assert.Equal(token.ChallengeCode, (await _f.Tokens.GetAsync(P, "app", token.SessionId, default)).ChallengeCode);
        _f.Time.Advance(TimeSpan.FromMinutes(10));
        var expired = await Assert.ThrowsAsync<DomainException>(() => _f.Tokens.GetAsync(P, "app", token.SessionId, default));
        Assert.Equal(ResourceTypes.Token, expired.ResourceType);

        var second = await _f.Tokens.CreateAsync(P, "app", default);
        await _f.Tokens.DeleteAsync(P, "app", second.SessionId, default);
        await Assert.ThrowsAsync<DomainException>(() => _f.Tokens.GetAsync(P, "app", second.SessionId, default));
        await Assert.ThrowsAsync<DomainException>(() => _f.Tokens.DeleteAsync(P, "app", second.SessionId, default));
    }

    [Fact]
    public async Task Admin_ui_config_is_created_updated_and_removed_once()
    {
        var job = await _f.AdminUi.CreateAsync(P, "app", "sandbox1", default);
        Assert.Equal("dev", job.Environment);
        var login = new JsonObject { ["AwsUserPoolsId"] = "us-east-1_abc", ["AwsCognitoRegion"] = "us-east-1" };
        var config = await _f.AdminUi.UpdateAsync(P, "app", login, default);
        Assert.Equal("sandbox1", config.BackendManagerAppId);
        Assert.Equal(login.ToJsonString(), config.LoginAuthConfig.ToJsonString());
        await _f.AdminUi.RemoveAsync(P, "app", default);
        var ex = await Assert.ThrowsAsync<DomainException>(() => _f.AdminUi.RemoveAsync(P, "app", default));
        Assert.Equal(ResourceTypes.BackendConfig, ex.ResourceType);
    }

    [Fact]
    public async Task Admin_ui_on_an_app_without_environments_records_its_job_under_staging()
    {
        var job = await _f.AdminUi.CreateAsync(P, "fresh-app", null, default);
        Assert.Equal("staging", job.Environment);
    }

    private static JsonObject StorageConfig() => new()
    {
        ["Permissions"] = new JsonObject { ["Authenticated"] = new JsonArray("READ") },
        ["ServiceName"] = "S3",
    };
}
