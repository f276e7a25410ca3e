using System.Globalization;
using System.Text.Json.Nodes;
using Ampstack.AmplifyBackend.Mapping;
using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;

namespace Ampstack.AmplifyBackend.Operations;

/// <summary>
/// The AmplifyBackend operations: one entry per operation of the model, each turning validated input into domain calls
/// and domain records into the output shape. No HTTP and no JSON text here; the wire layer does both from the model.
/// </summary>
public sealed class AmplifyBackendProvider : IOperationInvoker, IDisposable
{
    private readonly BackendService _backends;
    private readonly ResourceService _resources;
    private readonly JobService _jobs;
    private readonly AdminUiService _adminUi;
    private readonly TokenService _tokens;
    private readonly Dictionary<string, Func<AwsRequestContext, JsonObject, CancellationToken, Task<JsonObject>>> _operations;

    /// <summary>GetBackendAPIModels answers being built or sent at once.</summary>
    private readonly SemaphoreSlim _modelResponses = new(ConcurrentModelResponses);

    /// <summary>How many GetBackendAPIModels answers are built at once (one per core, at least two).</summary>
    public static int ConcurrentModelResponses { get; } = Math.Max(2, Environment.ProcessorCount);

    public AmplifyBackendProvider(BackendService backends, ResourceService resources, JobService jobs, AdminUiService adminUi, TokenService tokens)
    {
        _backends = backends;
        _resources = resources;
        _jobs = jobs;
        _adminUi = adminUi;
        _tokens = tokens;
        _operations = new(StringComparer.Ordinal)
        {
            ["CloneBackend"] = CloneBackendAsync,
            ["CreateBackend"] = CreateBackendAsync,
            ["CreateBackendAPI"] = CreateBackendApiAsync,
            ["CreateBackendAuth"] = CreateBackendAuthAsync,
            ["CreateBackendConfig"] = CreateBackendConfigAsync,
            ["CreateBackendStorage"] = CreateBackendStorageAsync,
            ["CreateToken"] = CreateTokenAsync,
            ["DeleteBackend"] = DeleteBackendAsync,
            ["DeleteBackendAPI"] = (c, i, ct) => DeleteResourceAsync(c, i, ResourceKind.Api, ct),
            ["DeleteBackendAuth"] = (c, i, ct) => DeleteResourceAsync(c, i, ResourceKind.Auth, ct),
            ["DeleteBackendStorage"] = (c, i, ct) => DeleteResourceAsync(c, i, ResourceKind.Storage, ct),
            ["DeleteToken"] = DeleteTokenAsync,
            ["GenerateBackendAPIModels"] = GenerateBackendApiModelsAsync,
            ["GetBackend"] = GetBackendAsync,
            ["GetBackendAPI"] = (c, i, ct) => GetResourceAsync(c, i, ResourceKind.Api, ct),
            ["GetBackendAPIModels"] = GetBackendApiModelsAsync,
            ["GetBackendAuth"] = (c, i, ct) => GetResourceAsync(c, i, ResourceKind.Auth, ct),
            ["GetBackendJob"] = GetBackendJobAsync,
            ["GetBackendStorage"] = (c, i, ct) => GetResourceAsync(c, i, ResourceKind.Storage, ct),
            ["GetToken"] = GetTokenAsync,
            ["ImportBackendAuth"] = ImportBackendAuthAsync,
            ["ImportBackendStorage"] = ImportBackendStorageAsync,
            ["ListBackendJobs"] = ListBackendJobsAsync,
            ["ListS3Buckets"] = ListS3BucketsAsync,
            ["RemoveAllBackends"] = RemoveAllBackendsAsync,
            ["RemoveBackendConfig"] = RemoveBackendConfigAsync,
            ["UpdateBackendAPI"] = UpdateBackendApiAsync,
            ["UpdateBackendAuth"] = (c, i, ct) => UpdateResourceAsync(c, i, ResourceKind.Auth, ct),
            ["UpdateBackendConfig"] = UpdateBackendConfigAsync,
            ["UpdateBackendJob"] = UpdateBackendJobAsync,
            ["UpdateBackendStorage"] = (c, i, ct) => UpdateResourceAsync(c, i, ResourceKind.Storage, ct),
        };
    }

    public void Dispose() => _modelResponses.Dispose();

    /// <summary>The operations this provider implements.</summary>
    public IReadOnlyCollection<string> OperationNames => _operations.Keys;

    public async Task<JsonObject?> InvokeAsync(AwsRequestContext context, JsonObject input, CancellationToken cancellationToken)
    {
        if (!_operations.TryGetValue(context.Operation.Name, out var handler))
        {
            throw new Aws.Errors.AwsErrorException("NotImplemented", $"{context.Operation.Name} is not implemented.", status: 501);
        }

        try
        {
            foreach (var member in context.Operation.Input?.Members.Where(m => m.Location == Aws.Model.MemberLocation.Uri) ?? [])
            {
                Identifiers.Require(input.OptStr(member.Name), member.WireName);
            }

            return await handler(context, input, cancellationToken).ConfigureAwait(false);
        }
        catch (DomainException ex)
        {
            throw ErrorMapper.ToAws(ex);
        }
        catch (StoreUnavailableException ex)
        {
            throw ErrorMapper.ToAws(ex);
        }
    }

    private static Partition PartitionOf(AwsRequestContext context) => new(context.Caller.AccountId, context.Caller.Region);

    private static JsonObject JobOutput(AwsRequestContext context, JobRecord job) => Output.Job(job, context.Operation.Output!);

    // ---- apps and environments ----

    private async Task<JsonObject> CreateBackendAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _backends.CreateBackendAsync(PartitionOf(c), i.Str("AppId"), i.Str("AppName"), i.Str("BackendEnvironmentName"), ct).ConfigureAwait(false));

    private async Task<JsonObject> GetBackendAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        var details = await _backends.GetBackendAsync(PartitionOf(c), i.Str("AppId"), i.OptStr("BackendEnvironmentName"), ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["AmplifyFeatureFlags"] = details.AmplifyFeatureFlags,
            ["AmplifyMetaConfig"] = details.AmplifyMetaConfig,
            ["AppId"] = details.AppId,
            ["AppName"] = details.AppName,
            ["BackendEnvironmentList"] = new JsonArray(details.EnvironmentNames.Select(n => (JsonNode?)n).ToArray()),
            ["BackendEnvironmentName"] = details.Environment,
        };
    }

    private async Task<JsonObject> CloneBackendAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _backends.CloneBackendAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("TargetEnvironmentName"), ct).ConfigureAwait(false));

    private async Task<JsonObject> DeleteBackendAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _backends.DeleteBackendAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), ct).ConfigureAwait(false));

    private async Task<JsonObject> RemoveAllBackendsAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _backends.RemoveAllBackendsAsync(PartitionOf(c), i.Str("AppId"), i.OptBool("CleanAmplifyApp") ?? false, ct).ConfigureAwait(false));

    // ---- auth ----

    private async Task<JsonObject> CreateBackendAuthAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.CreateAuthAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("ResourceName"),
            i.Obj("ResourceConfig").Copy(), ct).ConfigureAwait(false));

    private async Task<JsonObject> ImportBackendAuthAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.ImportAuthAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("UserPoolId"),
            i.Str("WebClientId"), i.Str("NativeClientId"), i.OptStr("IdentityPoolId"), ct).ConfigureAwait(false));

    // ---- API ----

    private async Task<JsonObject> CreateBackendApiAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.CreateApiAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("ResourceName"),
            i.Obj("ResourceConfig").Copy(), ct).ConfigureAwait(false));

    private async Task<JsonObject> UpdateBackendApiAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.UpdateApiAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("ResourceName"),
            i.OptObj("ResourceConfig")?.Copy(), ct).ConfigureAwait(false));

    private async Task<JsonObject> GenerateBackendApiModelsAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.GenerateModelsAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("ResourceName"), ct).ConfigureAwait(false));

    private async Task<JsonObject> GetBackendApiModelsAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        // Models can be tens of megabytes, held in several forms until sent: a few such answers at a time, each holding
        // its permit until its response is written, keep ten concurrent calls from costing ten times the memory.
        await _modelResponses.WaitAsync(ct).ConfigureAwait(false);
        c.HoldUntilSent(new Permit(_modelResponses));
        var (models, latest) = await _resources.GetModelsAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("ResourceName"), ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["Models"] = models?.SchemaJs,
            ["Status"] = latest ? "LATEST" : "STALE",
            ["ModelIntrospectionSchema"] = models?.Introspection,
        };
    }

    // ---- storage ----

    private async Task<JsonObject> CreateBackendStorageAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.CreateStorageAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("ResourceName"),
            i.Obj("ResourceConfig").Copy(), ct).ConfigureAwait(false));

    private async Task<JsonObject> ImportBackendStorageAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _resources.ImportStorageAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.OptStr("BucketName"),
            new JsonObject { ["ServiceName"] = i.Str("ServiceName") }, ct).ConfigureAwait(false));

    private async Task<JsonObject> ListS3BucketsAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        var (buckets, next) = await _resources.ListBucketsAsync(PartitionOf(c), i.OptStr("NextToken"), ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["Buckets"] = new JsonArray(buckets.Select(b => (JsonNode?)new JsonObject
            {
                ["CreationDate"] = DateTimeOffset.FromUnixTimeMilliseconds(b.CreatedAt).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                ["Name"] = b.Name,
            }).ToArray()),
            ["NextToken"] = next,
        };
    }

    // ---- shared resource operations ----

    private async Task<JsonObject> UpdateResourceAsync(AwsRequestContext c, JsonObject i, ResourceKind kind, CancellationToken ct) =>
        JobOutput(c, await _resources.UpdateAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), kind, i.Str("ResourceName"),
            i.Obj("ResourceConfig").Copy(), c.Operation.Name, ct).ConfigureAwait(false));

    private async Task<JsonObject> DeleteResourceAsync(AwsRequestContext c, JsonObject i, ResourceKind kind, CancellationToken ct) =>
        JobOutput(c, await _resources.DeleteAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), kind, i.Str("ResourceName"),
            c.Operation.Name, ct).ConfigureAwait(false));

    /// <summary>Get{Auth,API,Storage}: the stored configuration; storage reports its bucket and whether it was imported.</summary>
    private async Task<JsonObject> GetResourceAsync(AwsRequestContext c, JsonObject i, ResourceKind kind, CancellationToken ct)
    {
        var resource = await _resources.GetAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), kind, i.Str("ResourceName"), ct).ConfigureAwait(false);
        var config = kind != ResourceKind.Storage ? resource.Config.Copy() : new JsonObject
        {
            ["BucketName"] = resource.BucketName,
            ["Imported"] = resource.Imported,
            ["Permissions"] = resource.Config["Permissions"]?.DeepClone(),
            ["ServiceName"] = resource.Config["ServiceName"]?.DeepClone(),
        };
        return new JsonObject
        {
            ["AppId"] = resource.AppId,
            ["BackendEnvironmentName"] = resource.Environment,
            ["ResourceConfig"] = config,
            ["ResourceName"] = resource.Name,
        };
    }

    // ---- jobs ----

    private async Task<JsonObject> GetBackendJobAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _jobs.GetAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("JobId"), ct).ConfigureAwait(false));

    private async Task<JsonObject> UpdateBackendJobAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _jobs.UpdateAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), i.Str("JobId"),
            i.OptStr("Operation"), i.OptStr("Status"), ct).ConfigureAwait(false));

    private async Task<JsonObject> ListBackendJobsAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        var filter = new JobFilter(i.OptStr("JobId"), i.OptStr("Operation"), i.OptStr("Status"));
        var (jobs, next) = await _jobs.ListAsync(PartitionOf(c), i.Str("AppId"), i.Str("BackendEnvironmentName"), filter,
            i.OptInt("MaxResults"), i.OptStr("NextToken"), ct).ConfigureAwait(false);
        var element = c.Operation.Output!.MembersByName["Jobs"].Shape.Element;
        return new JsonObject
        {
            ["Jobs"] = new JsonArray(jobs.Select(j => (JsonNode?)Output.Job(j, element)).ToArray()),
            ["NextToken"] = next,
        };
    }

    // ---- Admin UI config and tokens ----

    private async Task<JsonObject> CreateBackendConfigAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        JobOutput(c, await _adminUi.CreateAsync(PartitionOf(c), i.Str("AppId"), i.OptStr("BackendManagerAppId"), ct).ConfigureAwait(false));

    private async Task<JsonObject> UpdateBackendConfigAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        var appId = i.Str("AppId");
        var config = await _adminUi.UpdateAsync(PartitionOf(c), appId, i.OptObj("LoginAuthConfig")?.Copy(), ct).ConfigureAwait(false);
        return new JsonObject
        {
            ["AppId"] = appId,
            ["BackendManagerAppId"] = config.BackendManagerAppId,
            ["LoginAuthConfig"] = config.LoginAuthConfig.Copy(),
        };
    }

    private async Task<JsonObject> RemoveBackendConfigAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        await _adminUi.RemoveAsync(PartitionOf(c), i.Str("AppId"), ct).ConfigureAwait(false);
        return [];
    }

    private async Task<JsonObject> CreateTokenAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        TokenOutput(await _tokens.CreateAsync(PartitionOf(c), i.Str("AppId"), ct).ConfigureAwait(false));

    private async Task<JsonObject> GetTokenAsync(AwsRequestContext c, JsonObject i, CancellationToken ct) =>
        TokenOutput(await _tokens.GetAsync(PartitionOf(c), i.Str("AppId"), i.Str("SessionId"), ct).ConfigureAwait(false));

    private async Task<JsonObject> DeleteTokenAsync(AwsRequestContext c, JsonObject i, CancellationToken ct)
    {
        await _tokens.DeleteAsync(PartitionOf(c), i.Str("AppId"), i.Str("SessionId"), ct).ConfigureAwait(false);
        return new JsonObject { ["IsSuccess"] = true };
    }

    private static JsonObject TokenOutput(TokenRecord token) => new()
    {
        ["AppId"] = token.AppId,
        ["ChallengeCode"] = token.ChallengeCode,
        ["SessionId"] = token.SessionId,
        ["Ttl"] = token.ExpiresAt.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A semaphore permit, released once.</summary>
    private sealed class Permit(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
