using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Hosting;
using Ampstack.Family.Common;
using Ampstack.Family.Hosting.Api;
using DomainBranch = Ampstack.Domain.Hosting.BranchRecord;

namespace Ampstack.Family.Hosting;

/// <summary>
/// Amplify Hosting's operations on apps, backend environments, branches and tags (<see cref="IHosting"/>, generated from
/// the model), over the same apps and environments as the Admin API. The model's other operations (builds, deployments,
/// domains, webhooks) answer BadRequestException naming them as not supported.
/// </summary>
public sealed class HostingProvider(HostingService hosting) : IHosting
{
    private static Ampstack.Domain.Common.Partition At(AwsRequestContext context) => Callers.PartitionOf(context);

    /// <summary>The page size of ListApps, ListBranches and ListBackendEnvironments when the caller gives none: the model's
    /// largest (50).</summary>
    private const int DefaultPageSize = 50;

    public async Task<CreateAppResult> CreateAppAsync(AwsRequestContext context, CreateAppRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = new HostingSettings
        {
            Description = request.description,
            Repository = request.repository,
            Platform = request.platform ?? "WEB",
            IamServiceRoleArn = request.iamServiceRoleArn,
            EnvironmentVariables = request.environmentVariables ?? new Dictionary<string, string>(),
            Tags = request.tags ?? new Dictionary<string, string>(),
            EnableBranchAutoBuild = request.enableBranchAutoBuild ?? false,
            EnableBranchAutoDeletion = request.enableBranchAutoDeletion ?? false,
            EnableBasicAuth = request.enableBasicAuth ?? false,
            BuildSpec = request.buildSpec,
            CustomHeaders = request.customHeaders,
        };
        var app = await hosting.CreateAppAsync(At(context), request.name, settings, cancellationToken).ConfigureAwait(false);
        return new() { app = ToShape(app) };
    }

    public async Task<GetAppResult> GetAppAsync(AwsRequestContext context, GetAppRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new() { app = ToShape(await hosting.GetAppAsync(At(context), request.appId, cancellationToken).ConfigureAwait(false)) };
    }

    public async Task<ListAppsResult> ListAppsAsync(AwsRequestContext context, ListAppsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (apps, next) = await hosting.ListAppsAsync(At(context), request.nextToken, PageSize(request.maxResults),
            cancellationToken).ConfigureAwait(false);
        return new() { apps = apps.Select(ToShape).ToList(), nextToken = next };
    }

    public async Task<UpdateAppResult> UpdateAppAsync(AwsRequestContext context, UpdateAppRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = await hosting.UpdateAppAsync(At(context), request.appId, request.name, s => s with
        {
            Description = request.description ?? s.Description,
            Repository = request.repository ?? s.Repository,
            Platform = request.platform ?? s.Platform,
            IamServiceRoleArn = request.iamServiceRoleArn ?? s.IamServiceRoleArn,
            EnvironmentVariables = request.environmentVariables ?? s.EnvironmentVariables,
            EnableBranchAutoBuild = request.enableBranchAutoBuild ?? s.EnableBranchAutoBuild,
            EnableBranchAutoDeletion = request.enableBranchAutoDeletion ?? s.EnableBranchAutoDeletion,
            EnableBasicAuth = request.enableBasicAuth ?? s.EnableBasicAuth,
            BuildSpec = request.buildSpec ?? s.BuildSpec,
            CustomHeaders = request.customHeaders ?? s.CustomHeaders,
        }, cancellationToken).ConfigureAwait(false);
        return new() { app = ToShape(app) };
    }

    public async Task<DeleteAppResult> DeleteAppAsync(AwsRequestContext context, DeleteAppRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new() { app = ToShape(await hosting.DeleteAppAsync(At(context), request.appId, cancellationToken).ConfigureAwait(false)) };
    }

    public async Task<CreateBackendEnvironmentResult> CreateBackendEnvironmentAsync(AwsRequestContext context,
        CreateBackendEnvironmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = await hosting.CreateBackendEnvironmentAsync(At(context), request.appId, request.environmentName,
            cancellationToken).ConfigureAwait(false);
        return new() { backendEnvironment = ToShape(environment) };
    }

    public async Task<GetBackendEnvironmentResult> GetBackendEnvironmentAsync(AwsRequestContext context,
        GetBackendEnvironmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = await hosting.GetBackendEnvironmentAsync(At(context), request.appId, request.environmentName,
            cancellationToken).ConfigureAwait(false);
        return new() { backendEnvironment = ToShape(environment) };
    }

    public async Task<ListBackendEnvironmentsResult> ListBackendEnvironmentsAsync(AwsRequestContext context,
        ListBackendEnvironmentsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environments = await hosting.ListBackendEnvironmentsAsync(At(context), request.appId, request.environmentName,
            cancellationToken).ConfigureAwait(false);
        var (page, next) = Page(environments, request.nextToken, request.maxResults);
        return new() { backendEnvironments = page.Select(ToShape).ToList(), nextToken = next };
    }

    public async Task<DeleteBackendEnvironmentResult> DeleteBackendEnvironmentAsync(AwsRequestContext context,
        DeleteBackendEnvironmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var environment = await hosting.DeleteBackendEnvironmentAsync(At(context), request.appId, request.environmentName,
            cancellationToken).ConfigureAwait(false);
        return new() { backendEnvironment = ToShape(environment) };
    }

    public async Task<CreateBranchResult> CreateBranchAsync(AwsRequestContext context, CreateBranchRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var branch = new DomainBranch
        {
            Name = request.branchName,
            Description = request.description,
            Stage = request.stage ?? "NONE",
            Framework = request.framework,
            DisplayName = request.displayName,
            EnableAutoBuild = request.enableAutoBuild ?? true,
            EnableNotification = request.enableNotification ?? false,
            EnablePullRequestPreview = request.enablePullRequestPreview ?? false,
            BackendEnvironmentArn = request.backendEnvironmentArn,
            EnvironmentVariables = request.environmentVariables ?? new Dictionary<string, string>(),
            Tags = request.tags ?? new Dictionary<string, string>(),
        };
        var (app, made) = await hosting.CreateBranchAsync(At(context), request.appId, branch, cancellationToken)
            .ConfigureAwait(false);
        return new() { branch = ToShape(app, made) };
    }

    public async Task<GetBranchResult> GetBranchAsync(AwsRequestContext context, GetBranchRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (app, branch) = await hosting.GetBranchAsync(At(context), request.appId, request.branchName, cancellationToken)
            .ConfigureAwait(false);
        return new() { branch = ToShape(app, branch) };
    }

    public async Task<ListBranchesResult> ListBranchesAsync(AwsRequestContext context, ListBranchesRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var app = await hosting.GetAppAsync(At(context), request.appId, cancellationToken).ConfigureAwait(false);
        var (page, next) = Page(app.Hosting?.Branches ?? [], request.nextToken, request.maxResults);
        return new() { branches = page.Select(b => ToShape(app, b)).ToList(), nextToken = next };
    }

    public async Task<UpdateBranchResult> UpdateBranchAsync(AwsRequestContext context, UpdateBranchRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (app, branch) = await hosting.UpdateBranchAsync(At(context), request.appId, request.branchName, b => b with
        {
            Description = request.description ?? b.Description,
            Framework = request.framework ?? b.Framework,
            Stage = request.stage ?? b.Stage,
            DisplayName = request.displayName ?? b.DisplayName,
            EnableAutoBuild = request.enableAutoBuild ?? b.EnableAutoBuild,
            EnableNotification = request.enableNotification ?? b.EnableNotification,
            EnablePullRequestPreview = request.enablePullRequestPreview ?? b.EnablePullRequestPreview,
            BackendEnvironmentArn = request.backendEnvironmentArn ?? b.BackendEnvironmentArn,
            EnvironmentVariables = request.environmentVariables ?? b.EnvironmentVariables,
        }, cancellationToken).ConfigureAwait(false);
        return new() { branch = ToShape(app, branch) };
    }

    public async Task<DeleteBranchResult> DeleteBranchAsync(AwsRequestContext context, DeleteBranchRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (app, branch) = await hosting.DeleteBranchAsync(At(context), request.appId, request.branchName, cancellationToken)
            .ConfigureAwait(false);
        return new() { branch = ToShape(app, branch) };
    }

    public async Task<ListTagsForResourceResponse> ListTagsForResourceAsync(AwsRequestContext context, ListTagsForResourceRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new()
        {
            tags = await OnTaggable(() => hosting.ListTagsAsync(At(context), request.resourceArn, cancellationToken)).ConfigureAwait(false),
        };
    }

    public async Task<TagResourceResponse> TagResourceAsync(AwsRequestContext context, TagResourceRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await OnTaggable(() => hosting.ChangeTagsAsync(At(context), request.resourceArn, tags =>
        {
            var merged = new Dictionary<string, string>(tags, StringComparer.Ordinal);
            foreach (var (key, value) in request.tags)
            {
                merged[key] = value;
            }

            return merged;
        }, cancellationToken)).ConfigureAwait(false);
        return new();
    }

    public async Task<UntagResourceResponse> UntagResourceAsync(AwsRequestContext context, UntagResourceRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await OnTaggable(() => hosting.ChangeTagsAsync(At(context), request.resourceArn,
            tags => tags.Where(t => !request.tagKeys.Contains(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
            cancellationToken)).ConfigureAwait(false);
        return new();
    }

    /// <summary>A tag operation: its model names ResourceNotFoundException, not NotFoundException, for a missing app or branch.</summary>
    private static async Task<T> OnTaggable<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.NotFound)
        {
            throw HostingErrors.ResourceNotFound(error.Message);
        }
    }

    private static async Task OnTaggable(Func<Task> call) => await OnTaggable(async () =>
    {
        await call().ConfigureAwait(false);
        return true;
    }).ConfigureAwait(false);

    private static App ToShape(AppRecord app)
    {
        var settings = app.Hosting ?? new HostingSettings();
        return new()
        {
            appId = app.AppId,
            appArn = HostingService.AppArn(app.Partition, app.AppId),
            name = app.AppName,
            tags = settings.Tags,
            description = settings.Description ?? "",
            repository = settings.Repository ?? "",
            platform = settings.Platform,
            createTime = DateTimeOffset.FromUnixTimeMilliseconds(app.CreatedAt),
            updateTime = DateTimeOffset.FromUnixTimeMilliseconds(settings.UpdatedAt ?? app.CreatedAt),
            iamServiceRoleArn = settings.IamServiceRoleArn,
            environmentVariables = settings.EnvironmentVariables,
            defaultDomain = $"{app.AppId}.amplifyapp.com",
            enableBranchAutoBuild = settings.EnableBranchAutoBuild,
            enableBranchAutoDeletion = settings.EnableBranchAutoDeletion,
            enableBasicAuth = settings.EnableBasicAuth,
            buildSpec = settings.BuildSpec,
            customHeaders = settings.CustomHeaders,
            customRules = [],
            enableAutoBranchCreation = false,
            repositoryCloneMethod = "TOKEN",
        };
    }

    private static Branch ToShape(AppRecord app, DomainBranch branch) => new()
    {
        branchArn = HostingService.BranchArn(app.Partition, app.AppId, branch.Name),
        branchName = branch.Name,
        description = branch.Description ?? "",
        tags = branch.Tags,
        stage = branch.Stage,
        displayName = branch.DisplayName ?? branch.Name,
        enableNotification = branch.EnableNotification,
        createTime = DateTimeOffset.FromUnixTimeMilliseconds(branch.CreatedAt),
        updateTime = DateTimeOffset.FromUnixTimeMilliseconds(branch.UpdatedAt),
        environmentVariables = branch.EnvironmentVariables,
        enableAutoBuild = branch.EnableAutoBuild,
        customDomains = [],
        framework = branch.Framework ?? "",
        activeJobId = "0",
        totalNumberOfJobs = "0",
        enableBasicAuth = false,
        ttl = "5",
        enablePullRequestPreview = branch.EnablePullRequestPreview,
        backendEnvironmentArn = branch.BackendEnvironmentArn,
    };

    private static BackendEnvironment ToShape(EnvironmentRecord environment)
    {
        var root = environment.ReadRootStack();
        return new()
        {
            backendEnvironmentArn = HostingService.BackendEnvironmentArn(environment.Partition, environment.AppId, environment.Name),
            environmentName = environment.Name,
            stackName = root.StackName,
            deploymentArtifacts = root.DeploymentBucketName,
            createTime = DateTimeOffset.FromUnixTimeMilliseconds(environment.CreatedAt),
            updateTime = DateTimeOffset.FromUnixTimeMilliseconds(environment.CreatedAt),
        };
    }

    /// <summary>
    /// The page size asked for: the model lets maxResults be 0, which would page nothing forever (a token that never
    /// advances), so 0 is read as not given.
    /// </summary>
    private static int PageSize(int? maxResults) => maxResults is null or 0 ? DefaultPageSize : maxResults.Value;

    /// <summary>A page of a short list (an app's environments or branches) with an index as the next token.</summary>
    private static (IReadOnlyList<T> Page, string? Next) Page<T>(IReadOnlyList<T> all, string? nextToken, int? maxResults)
    {
        var start = 0;
        if (nextToken is not null && (!int.TryParse(nextToken, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out start) || start > all.Count))
        {
            throw DomainException.Invalid("The nextToken is not one this service gave out.");
        }

        var size = PageSize(maxResults);
        var page = all.Skip(start).Take(size).ToList();
        var end = start + page.Count;
        return (page, end < all.Count ? end.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);
    }
}
