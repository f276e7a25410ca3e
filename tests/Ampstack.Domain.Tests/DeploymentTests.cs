using System.IO.Compression;
using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Deployment;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

/// <summary>What an environment looks like deployed: its stacks and its deployment bucket, found by their names.</summary>
public abstract class DeploymentTests : IDisposable
{
    private readonly DomainFixture _f;

    protected DeploymentTests(TestStoreKind kind)
    {
        _f = new DomainFixture(kind);
        _f.CreateBackendAsync("my-app", "dev").GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<DeployedEnvironment> DeployedAsync()
    {
        var environment = (await _f.Backends.GetBackendAsync(P, "my-app", "dev", default)).AmplifyMetaConfig;
        var bucket = (string)JsonNode.Parse(environment)!["providers"]!["awscloudformation"]!["DeploymentBucketName"]!;
        return await _f.Deployments.FindByBucketAsync(P, bucket, withModels: true, default)
            ?? throw new InvalidOperationException("no bucket");
    }

    [Fact]
    public async Task Buckets_and_stacks_are_found_by_name_even_when_the_app_id_has_hyphens()
    {
        var deployed = await DeployedAsync();
        Assert.Equal("my-app", deployed.App.AppId);
        Assert.Null(await _f.Deployments.FindByBucketAsync(P, "amplify-my-app-dev-000000-deployment", false, default));
        Assert.Null(await _f.Deployments.FindByBucketAsync(new Partition("111111111111", "us-east-1"), deployed.DeploymentBucket, false,
            default));

        var byName = await _f.Deployments.FindStackAsync(P, deployed.RootStackName, default);
        var byArn = await _f.Deployments.FindStackAsync(P, deployed.RootStackId, default);
        Assert.Equal(deployed.RootStackName, byName!.Value.Stack.Name);
        Assert.Equal(deployed.RootStackName, byArn!.Value.Stack.Name);
        Assert.Null(await _f.Deployments.FindStackAsync(P, deployed.RootStackId.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal),
            default));
    }

    [Fact]
    public async Task A_name_found_again_is_what_the_store_holds_now_even_after_another_node_changed_it()
    {
        var bucket = (await DeployedAsync()).DeploymentBucket;
        var first = await _f.Deployments.FindByBucketAsync(P, bucket, withModels: false, default);
        Assert.Same(first, await _f.Deployments.FindByBucketAsync(P, bucket, withModels: false, default));
        var root = first!.RootStackName;
        Assert.NotNull(await _f.Deployments.FindStackAsync(P, root, default));
        Assert.Null(await _f.Deployments.FindByBucketAsync(new Partition("111111111111", "us-east-1"), bucket, false, default));

        // Another node on the same data: nothing of this node's hears of its writes but the store.
        var other = _f.OpenAnother();
        var jobs = new JobService(other, _f.Schemas, _f.Time, JobProgression.Immediate, new PageTokenService(other),
            new JobLeases("other", TimeSpan.FromSeconds(10)));
        await new ResourceService(other, jobs, _f.Schemas, new PageTokenService(other))
            .CreateAuthAsync(P, "my-app", "dev", "users", AuthConfig(), default);
        var changed = await _f.Deployments.FindByBucketAsync(P, bucket, withModels: false, default);
        Assert.Equal(["users"], changed!.Resources.Select(r => r.Name));
        var stack = await _f.Deployments.FindStackAsync(P, root, default);
        Assert.Equal(["users"], stack!.Value.Environment.Resources.Select(r => r.Name));

        await new BackendService(other, jobs).DeleteBackendAsync(P, "my-app", "dev", default);
        Assert.Null(await _f.Deployments.FindByBucketAsync(P, bucket, withModels: false, default));
        Assert.Null(await _f.Deployments.FindStackAsync(P, root, default));
    }

    [Fact]
    public async Task Each_resource_is_a_nested_stack_named_by_category_and_name_with_its_string_outputs()
    {
        await _f.Resources.CreateAuthAsync(P, "my-app", "dev", "users", AuthConfig(), default);
        await _f.Resources.CreateApiAsync(P, "my-app", "dev", "data", ApiConfig("type Todo @model { id: ID! }"), default);
        var deployed = await DeployedAsync();
        var nested = Stacks.Nested(deployed);
        Assert.Equal(["authusers", "apidata"], nested.Select(n => Stacks.LogicalId(n.Resource)));
        var api = nested.Single(n => n.Resource.Name == "data").Stack;
        Assert.DoesNotContain(api.Outputs, o => o.Key == "authConfig");
        Assert.Contains(api.Outputs, o => o.Key == "GraphQLAPIEndpointOutput");

        var found = await _f.Deployments.FindStackAsync(P, api.Id, default);
        Assert.Equal(api.Name, found!.Value.Stack.Name);
        Assert.Equal(deployed.RootStackId, found.Value.Stack.ParentId);
        Assert.Contains(Stacks.RootResources(deployed), r => r.LogicalId == "apidata" && r.PhysicalId == api.Id);
    }

    [Fact]
    public async Task The_same_state_gives_the_same_zip_and_a_change_a_new_one()
    {
        await _f.Resources.CreateAuthAsync(P, "my-app", "dev", "users", AuthConfig(), default);
        var first = DeploymentArtifacts.Build(await DeployedAsync());
        var second = DeploymentArtifacts.Build(await DeployedAsync());
        var zip = first.Find(DeploymentArtifacts.CurrentCloudBackendKey)!;
        Assert.Equal(zip.Bytes, second.Find(DeploymentArtifacts.CurrentCloudBackendKey)!.Bytes);

        using (var archive = new ZipArchive(new MemoryStream(zip.Bytes)))
        {
            var names = archive.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("auth/users/cli-inputs.json", names);
            Assert.Contains("auth/users/build/parameters.json", names);
            Assert.Contains("cli.json", names);
            using var reader = new StreamReader(archive.GetEntry("backend-config.json")!.Open());
            var config = JsonNode.Parse(reader.ReadToEnd())!;
            Assert.Equal(AmplifyProject.Sorted(config).ToJsonString(), config.ToJsonString());
            var frontend = config["auth"]!["users"]!["frontendAuthConfig"]!;
            Assert.Equal(["EMAIL"], frontend["usernameAttributes"]!.AsArray().Select(n => (string?)n));
        }

        await _f.Resources.UpdateAsync(P, "my-app", "dev", Resources.ResourceKind.Auth, "users", new JsonObject
        {
            ["AuthResources"] = "USER_POOL_ONLY",
            ["Service"] = "COGNITO",
            ["UserPoolConfigs"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12.0 } },
        }, "UpdateBackendAuth", default);
        var changed = DeploymentArtifacts.Build(await DeployedAsync()).Find(DeploymentArtifacts.CurrentCloudBackendKey)!;
        Assert.NotEqual(zip.ETag, changed.ETag);
    }

    [Fact]
    public async Task An_update_is_a_later_last_modified_though_it_creates_no_resource()
    {
        await _f.Resources.CreateAuthAsync(P, "my-app", "dev", "users", AuthConfig(), default);
        var before = _f.Deployments.ArtifactsOf(await DeployedAsync()).Find("amplify-meta.json")!;
        Assert.Same(before, _f.Deployments.ArtifactsOf(await DeployedAsync()).Find("amplify-meta.json"));

        _f.Time.Advance(TimeSpan.FromMinutes(5));
        await _f.Resources.UpdateAsync(P, "my-app", "dev", Resources.ResourceKind.Auth, "users", new JsonObject
        {
            ["AuthResources"] = "USER_POOL_ONLY",
            ["Service"] = "COGNITO",
            ["UserPoolConfigs"] = new JsonObject { ["PasswordPolicy"] = new JsonObject { ["MinimumLength"] = 12.0 } },
        }, "UpdateBackendAuth", default);
        var after = _f.Deployments.ArtifactsOf(await DeployedAsync()).Find("amplify-meta.json")!;
        Assert.NotEqual(before.ETag, after.ETag);
        Assert.True(after.LastModified >= before.LastModified + 300_000, $"{before.LastModified} -> {after.LastModified}");
    }
}
