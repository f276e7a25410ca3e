using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Deployment;
using Ampstack.Domain.Hosting;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Tokens;
using Ampstack.Domain.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Domain.Tests;

/// <summary>The domain services over a real, fresh store of the kind given, with a fake clock.</summary>
public sealed class DomainFixture : IDisposable
{
    public static readonly Partition P = new("000000000000", "us-east-1");

    private readonly TestStore _storage;

    public DomainFixture(TestStoreKind kind = TestStoreKind.Sqlite, JobProgression? progression = null)
    {
        _storage = TestStore.Create(kind);
        Store = _storage.Store;
        Admin = _storage.Admin;
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        Schemas = new FakeSchemaTools();
        PageTokens = new PageTokenService(Store);
        Jobs = new JobService(Store, Schemas, Time, progression ?? JobProgression.Immediate, PageTokens, Leases);
        Backends = new BackendService(Store, Jobs);
        Resources = new ResourceService(Store, Jobs, Schemas, PageTokens);
        AdminUi = new AdminUiService(Store, Jobs);
        Tokens = new TokenService(Store, Time, TimeSpan.FromMinutes(10));
        Hosting = new HostingService(Store, Time);
        Deployments = new DeploymentService(Store, new ArtifactCache(Time));
    }

    public TestStoreKind Kind => _storage.Kind;

    /// <summary>The SQLite store's directory (SQLite only).</summary>
    public string Directory => _storage.Directory;

    /// <summary>The leases the fixture's job service takes.</summary>
    public JobLeases Leases { get; } = new("fixture", TimeSpan.FromSeconds(10));

    public IBackendStore Store { get; }

    /// <summary>The same store, as the operator's port.</summary>
    public IStoreAdmin Admin { get; }

    /// <summary>Another store on the same data, as another process would open it.</summary>
    public IBackendStore OpenAnother() => _storage.OpenAnother();

    public FakeTimeProvider Time { get; }

    public FakeSchemaTools Schemas { get; }

    public PageTokenService PageTokens { get; }

    public JobService Jobs { get; }

    public BackendService Backends { get; }

    public ResourceService Resources { get; }

    public AdminUiService AdminUi { get; }

    public TokenService Tokens { get; }

    public HostingService Hosting { get; }

    public DeploymentService Deployments { get; }

    public static JsonObject AuthConfig(string pool = "pool") => new()
    {
        ["AuthResources"] = "USER_POOL_ONLY",
        ["Service"] = "COGNITO",
        ["UserPoolConfigs"] = new JsonObject
        {
            ["RequiredSignUpAttributes"] = new JsonArray("EMAIL"),
            ["SignInMethod"] = "EMAIL",
            ["UserPoolName"] = pool,
        },
    };

    public static JsonObject ApiConfig(string schema) => new()
    {
        ["ApiName"] = "api",
        ["TransformSchema"] = schema,
        ["DefaultAuthType"] = new JsonObject { ["Mode"] = "API_KEY" },
    };

    public async Task<JobRecord> CreateBackendAsync(string appId = "app", string env = "dev", Partition? partition = null) =>
        await Backends.CreateBackendAsync(partition ?? P, appId, appId + " name", env, CancellationToken.None);

    public Task<JobRecord> JobAsync(JobRecord job) =>
        Jobs.GetAsync(job.Partition, job.AppId, job.Environment, job.JobId, CancellationToken.None);

    public void Dispose() => _storage.Dispose();
}

/// <summary>Schema tools whose answers the test chooses.</summary>
public sealed class FakeSchemaTools : ISchemaTools
{
    public string? SyntaxError { get; set; }

    public int Generated { get; private set; }

    /// <summary>When set, generation throws this (a bug in the generator, not a schema problem).</summary>
    public Exception? Throw { get; set; }

    /// <summary>How many @model types the next checks report.</summary>
    public int ModelCount { get; set; } = 1;

    public SchemaCheck Check(string schema) =>
        new(schema.Contains("BROKEN", StringComparison.Ordinal) ? "line 1, column 1: broken" : SyntaxError, ModelCount);

    public (string SchemaJs, string Introspection) GenerateModels(string schema)
    {
        if (Throw is not null)
        {
            throw Throw;
        }

        if (schema.Contains("REJECT", StringComparison.Ordinal))
        {
            throw new SchemaException("line 2, column 3: rejected");
        }

        Generated++;
        return ($"export const schema = {{\"n\": {schema.Length}}};", $"{{\"version\": 1, \"n\": {schema.Length}}}");
    }
}
