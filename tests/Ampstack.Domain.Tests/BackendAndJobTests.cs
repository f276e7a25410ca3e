using System.Text.Json;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

public abstract class BackendAndJobTests(TestStoreKind kind) : IDisposable
{
    private readonly DomainFixture _f = new(kind);

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task CreateBackend_makes_app_and_environment_and_finishes_its_job_in_immediate_mode()
    {
        var job = await _f.CreateBackendAsync();
        Assert.Equal(JobStatus.Running, job.Status);
        Assert.Equal("CreateBackend", job.Operation);
        Assert.True(Guid.TryParse(job.JobId, out var id) && id.ToString() == job.JobId);
        Assert.Equal(JobStatus.Completed, (await _f.JobAsync(job)).Status);

        var details = await _f.Backends.GetBackendAsync(P, "app", null, default);
        Assert.Equal("dev", details.Environment);
        Assert.Equal("app name", details.AppName);
        using var meta = JsonDocument.Parse(details.AmplifyMetaConfig);
        var provider = meta.RootElement.GetProperty("providers").GetProperty("awscloudformation");
        foreach (var key in new[] { "AuthRoleName", "AuthRoleArn", "UnauthRoleArn", "UnauthRoleName", "Region", "DeploymentBucketName",
            "StackId", "StackName" })
        {
            Assert.Equal(JsonValueKind.String, provider.GetProperty(key).ValueKind);
        }

        Assert.Equal("app", provider.GetProperty("AmplifyAppId").GetString());
    }

    [Fact]
    public async Task GetBackend_defaults_to_the_oldest_environment_and_lists_all()
    {
        await _f.CreateBackendAsync(env: "prod");
        _f.Time.Advance(TimeSpan.FromSeconds(1));
        await _f.CreateBackendAsync(env: "dev");
        var details = await _f.Backends.GetBackendAsync(P, "app", null, default);
        Assert.Equal("prod", details.Environment);
        Assert.Equal(["prod", "dev"], details.EnvironmentNames);
        Assert.Equal("dev", (await _f.Backends.GetBackendAsync(P, "app", "dev", default)).Environment);
    }

    [Fact]
    public async Task Unknown_app_and_environment_are_not_found_with_their_resource_type()
    {
        var app = await Assert.ThrowsAsync<DomainException>(() => _f.Backends.GetBackendAsync(P, "nope", null, default));
        Assert.Equal(ResourceTypes.App, app.ResourceType);
        await _f.CreateBackendAsync();
        var env = await Assert.ThrowsAsync<DomainException>(() => _f.Backends.GetBackendAsync(P, "app", "qa", default));
        Assert.Equal(ResourceTypes.BackendEnvironment, env.ResourceType);
    }

    [Fact]
    public async Task Creating_an_existing_environment_is_refused()
    {
        await _f.CreateBackendAsync();
        var ex = await Assert.ThrowsAsync<DomainException>(() => _f.CreateBackendAsync());
        Assert.Equal(DomainErrorKind.Invalid, ex.Kind);
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partitions_do_not_see_each_other()
    {
        var other = new Partition("111111111111", "us-east-1");
        await _f.CreateBackendAsync(partition: other);
        await Assert.ThrowsAsync<DomainException>(() => _f.Backends.GetBackendAsync(P, "app", null, default));
        await _f.CreateBackendAsync();
        Assert.Single((await _f.Backends.GetBackendAsync(other, "app", null, default)).EnvironmentNames);
        var otherRegion = new Partition("111111111111", "eu-west-1");
        await Assert.ThrowsAsync<DomainException>(() => _f.Backends.GetBackendAsync(otherRegion, "app", null, default));
    }

    [Fact]
    public async Task Clone_copies_resources_with_new_identifiers()
    {
        await _f.CreateBackendAsync();
        await _f.Resources.CreateAuthAsync(P, "app", "dev", "auth1", AuthConfig(), default);
        var job = await _f.Backends.CloneBackendAsync(P, "app", "dev", "test", default);
        Assert.Equal("dev", job.Environment);
        var source = await _f.Resources.GetAsync(P, "app", "dev", ResourceKind.Auth, "auth1", default);
        var clone = await _f.Resources.GetAsync(P, "app", "test", ResourceKind.Auth, "auth1", default);
        Assert.Equal(source.Config.ToJsonString(), clone.Config.ToJsonString());
        Assert.NotEqual((string?)source.Outputs["UserPoolId"], (string?)clone.Outputs["UserPoolId"]);
        await Assert.ThrowsAsync<DomainException>(() => _f.Backends.CloneBackendAsync(P, "app", "dev", "test", default));
    }

    [Fact]
    public async Task RemoveAllBackends_removes_environments_and_with_clean_the_app()
    {
        await _f.CreateBackendAsync(env: "dev");
        await _f.CreateBackendAsync(env: "prod");
        var job = await _f.Backends.RemoveAllBackendsAsync(P, "app", cleanAmplifyApp: false, default);
        Assert.Equal("dev", job.Environment);
        var ex = await Assert.ThrowsAsync<DomainException>(() => _f.Backends.GetBackendAsync(P, "app", null, default));
        Assert.Equal(ResourceTypes.BackendEnvironment, ex.ResourceType);
        await _f.Backends.RemoveAllBackendsAsync(P, "app", cleanAmplifyApp: true, default);
        ex = await Assert.ThrowsAsync<DomainException>(() => _f.Backends.GetBackendAsync(P, "app", null, default));
        Assert.Equal(ResourceTypes.App, ex.ResourceType);
        Assert.Equal(JobStatus.Completed, (await _f.JobAsync(job)).Status);
    }

    [Fact]
    public async Task ListJobs_pages_oldest_first_with_tokens_bound_to_the_filters()
    {
        await _f.CreateBackendAsync();
        for (var i = 0; i < 4; i++)
        {
            _f.Time.Advance(TimeSpan.FromMilliseconds(1));
            await _f.AdminUi.CreateAsync(P, "app", null, default);
        }

        var all = new List<JobSummary>();
        string? token = null;
        do
        {
            var (page, next) = await _f.Jobs.ListAsync(P, "app", "dev", new JobFilter(null, null, null), 2, token, default);
            Assert.True(page.Count <= 2);
            all.AddRange(page);
            token = next;
        }
        while (token is not null);
        Assert.Equal(5, all.Count);
        Assert.Equal("CreateBackend", all[0].Operation);
        Assert.Equal(all.OrderBy(j => j.CreatedAt).ThenBy(j => j.JobId, StringComparer.Ordinal).Select(j => j.JobId),
            all.Select(j => j.JobId));

        var filter = new JobFilter(null, "CreateBackendConfig", JobStatus.Completed);
        var (filtered, filteredNext) = await _f.Jobs.ListAsync(P, "app", "dev", filter, 3, null, default);
        Assert.Equal(3, filtered.Count);
        Assert.All(filtered, j => Assert.Equal("CreateBackendConfig", j.Operation));
        await Assert.ThrowsAsync<DomainException>(() =>
            _f.Jobs.ListAsync(P, "app", "dev", new JobFilter(null, null, null), 3, filteredNext, default));
        var (rest, end) = await _f.Jobs.ListAsync(P, "app", "dev", filter, 3, filteredNext, default);
        Assert.Single(rest);
        Assert.Null(end);
        var (one, _) = await _f.Jobs.ListAsync(P, "app", "dev", new JobFilter(all[2].JobId, null, null), null, null, default);
        Assert.Equal(all[2].JobId, Assert.Single(one).JobId);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(26)]
    public async Task ListJobs_refuses_page_sizes_outside_1_to_25(int size)
    {
        await _f.CreateBackendAsync();
        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            _f.Jobs.ListAsync(P, "app", "dev", new JobFilter(null, null, null), size, null, default));
        Assert.Contains("maxResults", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_of_another_environment_is_not_found()
    {
        var job = await _f.CreateBackendAsync();
        var ex = await Assert.ThrowsAsync<DomainException>(() => _f.Jobs.GetAsync(P, "app", "prod", job.JobId, default));
        Assert.Equal(ResourceTypes.BackendJob, ex.ResourceType);
    }
}
