using System.Globalization;
using System.Runtime.CompilerServices;
using Ampstack.AmplifyBackend.Api;
using Ampstack.AmplifyBackend.Mapping;
using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Tokens;

namespace Ampstack.AmplifyBackend.Operations;

/// <summary>
/// The AmplifyBackend operations (<see cref="IAmplifyBackend"/>, generated from the model): each turns its typed request
/// into domain calls and domain records into its typed response. No HTTP and no JSON text here; the wire layer does both.
/// </summary>
public sealed class AmplifyBackendProvider(
    BackendService backends,
    ResourceService resources,
    JobService jobs,
    AdminUiService adminUi,
    TokenService tokens) : IAmplifyBackend, IDisposable
{
    /// <summary>GetBackendAPIModels answers being built or sent at once.</summary>
    private readonly SemaphoreSlim _modelResponses = new(ConcurrentModelResponses);

    /// <summary>
    /// The response made from each answer the domain keeps and gives again (GetBackend's details, a job, a page of jobs): the
    /// same response for the same answer, so the wire layer writes it once (<see cref="AmplifyBackendService.Options"/>).
    /// </summary>
    private readonly ConditionalWeakTable<BackendDetails, GetBackendResponse> _backendResponses = [];

    private readonly ConditionalWeakTable<IReadOnlyList<JobSummary>, ListBackendJobsResponse> _jobPages = [];

    private readonly ConditionalWeakTable<JobRecord, GetBackendJobResponse> _jobResponses = [];

    /// <summary>How many GetBackendAPIModels answers are built at once (one per core, at least two).</summary>
    public static int ConcurrentModelResponses { get; } = Math.Max(2, Environment.ProcessorCount);

    public void Dispose() => _modelResponses.Dispose();

    private static Partition PartitionOf(AwsRequestContext context) => new(context.Caller.AccountId, context.Caller.Region);

    /// <summary>A job as the job-bearing response <typeparamref name="T"/> shows it.</summary>
    private static T Job<T>(JobRecord job)
        where T : IProjectionOf<BackendJobRespObj, T> => T.From(Jobs.ToShape(job));

    // ---- apps and environments ----

    public async Task<CreateBackendResponse> CreateBackendAsync(AwsRequestContext context, CreateBackendRequest request,
        CancellationToken cancellationToken) =>
        Job<CreateBackendResponse>(await backends.CreateBackendAsync(PartitionOf(context), request.AppId, request.AppName,
            request.BackendEnvironmentName, cancellationToken).ConfigureAwait(false));

    public async Task<GetBackendResponse> GetBackendAsync(AwsRequestContext context, GetBackendRequest request,
        CancellationToken cancellationToken)
    {
        var details = await backends.GetBackendAsync(PartitionOf(context), request.AppId, request.BackendEnvironmentName,
            cancellationToken).ConfigureAwait(false);
        return _backendResponses.GetValue(details, static details => new()
        {
            AmplifyFeatureFlags = details.AmplifyFeatureFlags,
            AmplifyMetaConfig = details.AmplifyMetaConfig,
            AppId = details.AppId,
            AppName = details.AppName,
            BackendEnvironmentList = details.EnvironmentNames,
            BackendEnvironmentName = details.Environment,
        });
    }

    public async Task<CloneBackendResponse> CloneBackendAsync(AwsRequestContext context, CloneBackendRequest request,
        CancellationToken cancellationToken) =>
        Job<CloneBackendResponse>(await backends.CloneBackendAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.TargetEnvironmentName, cancellationToken).ConfigureAwait(false));

    public async Task<DeleteBackendResponse> DeleteBackendAsync(AwsRequestContext context, DeleteBackendRequest request,
        CancellationToken cancellationToken) =>
        Job<DeleteBackendResponse>(await backends.DeleteBackendAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, cancellationToken).ConfigureAwait(false));

    public async Task<RemoveAllBackendsResponse> RemoveAllBackendsAsync(AwsRequestContext context, RemoveAllBackendsRequest request,
        CancellationToken cancellationToken) =>
        Job<RemoveAllBackendsResponse>(await backends.RemoveAllBackendsAsync(PartitionOf(context), request.AppId,
            request.CleanAmplifyApp ?? false, cancellationToken).ConfigureAwait(false));

    // ---- auth ----

    public async Task<CreateBackendAuthResponse> CreateBackendAuthAsync(AwsRequestContext context, CreateBackendAuthRequest request,
        CancellationToken cancellationToken) =>
        Job<CreateBackendAuthResponse>(await resources.CreateAuthAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.ResourceName, Documents.From(request.ResourceConfig),
            cancellationToken).ConfigureAwait(false));

    public async Task<ImportBackendAuthResponse> ImportBackendAuthAsync(AwsRequestContext context, ImportBackendAuthRequest request,
        CancellationToken cancellationToken) =>
        Job<ImportBackendAuthResponse>(await resources.ImportAuthAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.UserPoolId, request.WebClientId, request.NativeClientId,
            request.IdentityPoolId, cancellationToken).ConfigureAwait(false));

    public async Task<UpdateBackendAuthResponse> UpdateBackendAuthAsync(AwsRequestContext context, UpdateBackendAuthRequest request,
        CancellationToken cancellationToken) =>
        Job<UpdateBackendAuthResponse>(await resources.UpdateAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, ResourceKind.Auth, request.ResourceName, Documents.From(request.ResourceConfig),
            context.Operation.Name, cancellationToken).ConfigureAwait(false));

    public Task<DeleteBackendAuthResponse> DeleteBackendAuthAsync(AwsRequestContext context, DeleteBackendAuthRequest request,
        CancellationToken cancellationToken) =>
        DeleteAsync<DeleteBackendAuthResponse>(context, request.AppId, request.BackendEnvironmentName, ResourceKind.Auth,
            request.ResourceName, cancellationToken);

    public async Task<GetBackendAuthResponse> GetBackendAuthAsync(AwsRequestContext context, GetBackendAuthRequest request,
        CancellationToken cancellationToken)
    {
        var resource = await GetAsync(context, request.AppId, request.BackendEnvironmentName, ResourceKind.Auth, request.ResourceName,
            cancellationToken).ConfigureAwait(false);
        return new()
        {
            AppId = resource.AppId,
            BackendEnvironmentName = resource.Environment,
            ResourceConfig = Documents.To<CreateBackendAuthResourceConfig>(resource.Config),
            ResourceName = resource.Name,
        };
    }

    // ---- API ----

    public async Task<CreateBackendAPIResponse> CreateBackendAPIAsync(AwsRequestContext context, CreateBackendAPIRequest request,
        CancellationToken cancellationToken) =>
        Job<CreateBackendAPIResponse>(await resources.CreateApiAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.ResourceName, Documents.From(request.ResourceConfig),
            cancellationToken).ConfigureAwait(false));

    public async Task<UpdateBackendAPIResponse> UpdateBackendAPIAsync(AwsRequestContext context, UpdateBackendAPIRequest request,
        CancellationToken cancellationToken) =>
        Job<UpdateBackendAPIResponse>(await resources.UpdateApiAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.ResourceName, Documents.FromOptional(request.ResourceConfig),
            cancellationToken).ConfigureAwait(false));

    public Task<DeleteBackendAPIResponse> DeleteBackendAPIAsync(AwsRequestContext context, DeleteBackendAPIRequest request,
        CancellationToken cancellationToken) =>
        DeleteAsync<DeleteBackendAPIResponse>(context, request.AppId, request.BackendEnvironmentName, ResourceKind.Api,
            request.ResourceName, cancellationToken);

    public async Task<GetBackendAPIResponse> GetBackendAPIAsync(AwsRequestContext context, GetBackendAPIRequest request,
        CancellationToken cancellationToken)
    {
        var resource = await GetAsync(context, request.AppId, request.BackendEnvironmentName, ResourceKind.Api, request.ResourceName,
            cancellationToken).ConfigureAwait(false);
        return new()
        {
            AppId = resource.AppId,
            BackendEnvironmentName = resource.Environment,
            ResourceConfig = Documents.To<BackendAPIResourceConfig>(resource.Config),
            ResourceName = resource.Name,
        };
    }

    public async Task<GenerateBackendAPIModelsResponse> GenerateBackendAPIModelsAsync(AwsRequestContext context,
        GenerateBackendAPIModelsRequest request, CancellationToken cancellationToken) =>
        Job<GenerateBackendAPIModelsResponse>(await resources.GenerateModelsAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.ResourceName, cancellationToken).ConfigureAwait(false));

    public async Task<GetBackendAPIModelsResponse> GetBackendAPIModelsAsync(AwsRequestContext context,
        GetBackendAPIModelsRequest request, CancellationToken cancellationToken)
    {
        // Models can be tens of megabytes, held in several forms until sent: a few such answers at a time, each holding
        // its permit until its response is written, keep ten concurrent calls from costing ten times the memory.
        await _modelResponses.WaitAsync(cancellationToken).ConfigureAwait(false);
        context.HoldUntilSent(new Permit(_modelResponses));
        var (models, latest) = await resources.GetModelsAsync(PartitionOf(context), request.AppId, request.BackendEnvironmentName,
            request.ResourceName, cancellationToken).ConfigureAwait(false);
        return new()
        {
            Models = models?.SchemaJs,
            Status = latest ? "LATEST" : "STALE",
            ModelIntrospectionSchema = models?.Introspection,
        };
    }

    // ---- storage ----

    public async Task<CreateBackendStorageResponse> CreateBackendStorageAsync(AwsRequestContext context,
        CreateBackendStorageRequest request, CancellationToken cancellationToken) =>
        Job<CreateBackendStorageResponse>(await resources.CreateStorageAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.ResourceName, Documents.From(request.ResourceConfig),
            cancellationToken).ConfigureAwait(false));

    public async Task<ImportBackendStorageResponse> ImportBackendStorageAsync(AwsRequestContext context,
        ImportBackendStorageRequest request, CancellationToken cancellationToken) =>
        Job<ImportBackendStorageResponse>(await resources.ImportStorageAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, request.BucketName, new() { ["ServiceName"] = request.ServiceName },
            cancellationToken).ConfigureAwait(false));

    public async Task<UpdateBackendStorageResponse> UpdateBackendStorageAsync(AwsRequestContext context,
        UpdateBackendStorageRequest request, CancellationToken cancellationToken) =>
        Job<UpdateBackendStorageResponse>(await resources.UpdateAsync(PartitionOf(context), request.AppId,
            request.BackendEnvironmentName, ResourceKind.Storage, request.ResourceName, Documents.From(request.ResourceConfig),
            context.Operation.Name, cancellationToken).ConfigureAwait(false));

    public Task<DeleteBackendStorageResponse> DeleteBackendStorageAsync(AwsRequestContext context, DeleteBackendStorageRequest request,
        CancellationToken cancellationToken) =>
        DeleteAsync<DeleteBackendStorageResponse>(context, request.AppId, request.BackendEnvironmentName, ResourceKind.Storage,
            request.ResourceName, cancellationToken);

    /// <summary>The stored configuration, with the bucket and whether it was imported.</summary>
    public async Task<GetBackendStorageResponse> GetBackendStorageAsync(AwsRequestContext context, GetBackendStorageRequest request,
        CancellationToken cancellationToken)
    {
        var storage = await GetAsync(context, request.AppId, request.BackendEnvironmentName, ResourceKind.Storage,
            request.ResourceName, cancellationToken).ConfigureAwait(false);
        var config = storage.ReadStorageConfig();
        return new()
        {
            AppId = storage.AppId,
            BackendEnvironmentName = storage.Environment,
            ResourceConfig = new()
            {
                BucketName = storage.BucketName,
                Imported = storage.Imported,
                Permissions = config.Permissions is { } permissions
                    ? new() { Authenticated = permissions.Authenticated, UnAuthenticated = permissions.UnAuthenticated }
                    : null,
                ServiceName = config.ServiceName,
            },
            ResourceName = storage.Name,
        };
    }

    public async Task<ListS3BucketsResponse> ListS3BucketsAsync(AwsRequestContext context, ListS3BucketsRequest request,
        CancellationToken cancellationToken)
    {
        var (buckets, next) = await resources.ListBucketsAsync(PartitionOf(context), request.NextToken, cancellationToken)
            .ConfigureAwait(false);
        return new()
        {
            Buckets = buckets.Select(b => new S3BucketInfo
            {
                CreationDate = DateTimeOffset.FromUnixTimeMilliseconds(b.CreatedAt).UtcDateTime
                    .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
                Name = b.Name,
            }).ToList(),
            NextToken = next,
        };
    }

    // ---- jobs ----

    public async Task<GetBackendJobResponse> GetBackendJobAsync(AwsRequestContext context, GetBackendJobRequest request,
        CancellationToken cancellationToken) =>
        _jobResponses.GetValue(await jobs.GetAsync(PartitionOf(context), request.AppId, request.BackendEnvironmentName,
            request.JobId, cancellationToken).ConfigureAwait(false), static job => Job<GetBackendJobResponse>(job));

    public async Task<UpdateBackendJobResponse> UpdateBackendJobAsync(AwsRequestContext context, UpdateBackendJobRequest request,
        CancellationToken cancellationToken) =>
        Job<UpdateBackendJobResponse>(await jobs.UpdateAsync(PartitionOf(context), request.AppId, request.BackendEnvironmentName,
            request.JobId, request.Operation, request.Status, cancellationToken).ConfigureAwait(false));

    public async Task<ListBackendJobsResponse> ListBackendJobsAsync(AwsRequestContext context, ListBackendJobsRequest request,
        CancellationToken cancellationToken)
    {
        var filter = new JobFilter(request.JobId, request.Operation, request.Status);
        var (found, next) = await jobs.ListAsync(PartitionOf(context), request.AppId, request.BackendEnvironmentName, filter,
            request.MaxResults, request.NextToken, cancellationToken).ConfigureAwait(false);
        // A kept page is the same list with the same token, so the list alone names its response.
        return _jobPages.TryGetValue(found, out var kept) ? kept
            : _jobPages.GetOrAdd(found, new ListBackendJobsResponse { Jobs = found.Select(Jobs.ToShape).ToList(), NextToken = next });
    }

    // ---- Admin UI config and tokens ----

    public async Task<CreateBackendConfigResponse> CreateBackendConfigAsync(AwsRequestContext context,
        CreateBackendConfigRequest request, CancellationToken cancellationToken) =>
        Job<CreateBackendConfigResponse>(await adminUi.CreateAsync(PartitionOf(context), request.AppId,
            request.BackendManagerAppId, cancellationToken).ConfigureAwait(false));

    public async Task<UpdateBackendConfigResponse> UpdateBackendConfigAsync(AwsRequestContext context,
        UpdateBackendConfigRequest request, CancellationToken cancellationToken)
    {
        var config = await adminUi.UpdateAsync(PartitionOf(context), request.AppId, Documents.FromOptional(request.LoginAuthConfig),
            cancellationToken).ConfigureAwait(false);
        return new()
        {
            AppId = request.AppId,
            BackendManagerAppId = config.BackendManagerAppId,
            LoginAuthConfig = Documents.To<LoginAuthConfigReqObj>(config.LoginAuthConfig),
        };
    }

    public async Task<RemoveBackendConfigResponse> RemoveBackendConfigAsync(AwsRequestContext context,
        RemoveBackendConfigRequest request, CancellationToken cancellationToken)
    {
        await adminUi.RemoveAsync(PartitionOf(context), request.AppId, cancellationToken).ConfigureAwait(false);
        return new();
    }

    public async Task<CreateTokenResponse> CreateTokenAsync(AwsRequestContext context, CreateTokenRequest request,
        CancellationToken cancellationToken) =>
        Token<CreateTokenResponse>(await tokens.CreateAsync(PartitionOf(context), request.AppId, cancellationToken).ConfigureAwait(false));

    public async Task<GetTokenResponse> GetTokenAsync(AwsRequestContext context, GetTokenRequest request,
        CancellationToken cancellationToken) =>
        Token<GetTokenResponse>(await tokens.GetAsync(PartitionOf(context), request.AppId, request.SessionId, cancellationToken)
            .ConfigureAwait(false));

    public async Task<DeleteTokenResponse> DeleteTokenAsync(AwsRequestContext context, DeleteTokenRequest request,
        CancellationToken cancellationToken)
    {
        await tokens.DeleteAsync(PartitionOf(context), request.AppId, request.SessionId, cancellationToken).ConfigureAwait(false);
        return new() { IsSuccess = true };
    }

    private async Task<T> DeleteAsync<T>(AwsRequestContext context, string appId, string environment, ResourceKind kind,
        string name, CancellationToken cancellationToken)
        where T : IProjectionOf<BackendJobRespObj, T> =>
        Job<T>(await resources.DeleteAsync(PartitionOf(context), appId, environment, kind, name, context.Operation.Name,
            cancellationToken).ConfigureAwait(false));

    private Task<ResourceRecord> GetAsync(AwsRequestContext context, string appId, string environment, ResourceKind kind,
        string name, CancellationToken cancellationToken) =>
        resources.GetAsync(PartitionOf(context), appId, environment, kind, name, cancellationToken);

    /// <summary>A token as CreateToken and GetToken show it: they share their members, not their shape.</summary>
    private static T Token<T>(TokenRecord token)
        where T : IProjectionOf<CreateTokenResponse, T> => T.From(new CreateTokenResponse
        {
            AppId = token.AppId,
            ChallengeCode = token.ChallengeCode,
            SessionId = token.SessionId,
            Ttl = token.ExpiresAt.ToString(CultureInfo.InvariantCulture),
        });

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
