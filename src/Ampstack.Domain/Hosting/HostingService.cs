using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Hosting;

/// <summary>
/// Amplify Hosting over the same apps and environments as the Admin API: an app made by CreateApp is the app CreateBackend
/// then adds environments to, and an app made by CreateBackend is listed and read here. Branches and tags live in the
/// app's <see cref="HostingSettings"/>.
/// </summary>
public sealed class HostingService(IBackendStore store, TimeProvider time)
{
    /// <summary>The most branches an app may have (Amplify's default quota).</summary>
    public const int MaxBranches = 50;

    private const string AppIdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>CreateApp: a new app with an id as Amplify makes them (<c>d</c> and 13 lowercase letters and digits).</summary>
    public Task<AppRecord> CreateAppAsync(Partition partition, string name, HostingSettings settings, CancellationToken cancellationToken)
    {
        Identifiers.Require(name, "name");
        return store.WriteAsync(partition, async tx =>
        {
            string appId;
            do
            {
                appId = "d" + EmulatedIds.Random(AppIdAlphabet, 13);
            }
            while (await tx.GetAppAsync(appId).ConfigureAwait(false) is not null);

            var app = new AppRecord(partition, appId, name, Now, null) { Hosting = settings };
            await tx.PutAppAsync(app).ConfigureAwait(false);
            return app;
        }, cancellationToken);
    }

    public Task<AppRecord> GetAppAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        store.ReadAsync(partition, tx => EnvironmentLookup.RequireAppAsync(tx, appId), cancellationToken);

    /// <summary>ListApps: a page of the partition's apps by id, and the token of the next page (null after the last).</summary>
    public Task<(IReadOnlyList<AppRecord> Apps, string? NextToken)> ListAppsAsync(Partition partition, string? nextToken, int maxResults,
        CancellationToken cancellationToken)
    {
        var after = nextToken is null ? null : KeyCursor.Decode(nextToken, "The nextToken is not one this service gave out.");
        return store.ReadAsync<(IReadOnlyList<AppRecord>, string?)>(partition, async tx =>
        {
            var page = await tx.ListAppsAsync(after, maxResults + 1).ConfigureAwait(false);
            return page.Count > maxResults
                ? (page.Take(maxResults).ToList(), KeyCursor.Encode(page[maxResults - 1].AppId))
                : (page, null);
        }, cancellationToken);
    }

    /// <summary>UpdateApp: the app with <paramref name="change"/> applied to its settings (and a new name when given).</summary>
    public Task<AppRecord> UpdateAppAsync(Partition partition, string appId, string? name, Func<HostingSettings, HostingSettings> change,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (name is not null)
        {
            Identifiers.Require(name, "name");
        }

        return ChangeAppAsync(partition, appId, app => app with
        {
            AppName = name ?? app.AppName,
            Hosting = change(app.Hosting ?? new HostingSettings()) with { UpdatedAt = Now },
        }, cancellationToken);
    }

    /// <summary>
    /// DeleteApp: the app with its environments, resources, tokens and branches; returns what it was. Refused while a job
    /// of the app is pending, as deleting one of its environments is.
    /// </summary>
    public Task<AppRecord> DeleteAppAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            var app = await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            if ((await tx.ListPendingJobsAsync(appId, null).ConfigureAwait(false)) is [var pending, ..])
            {
                throw Refusals.PendingJob(appId, pending.Environment);
            }

            await tx.DeleteAppAsync(appId).ConfigureAwait(false);
            return app;
        }, cancellationToken);

    /// <summary>CreateBackendEnvironment: a new environment of an existing app, with its root stack's outputs.</summary>
    public Task<EnvironmentRecord> CreateBackendEnvironmentAsync(Partition partition, string appId, string environment,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(environment, "environmentName");
        return store.WriteAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            if (await tx.GetEnvironmentAsync(appId, environment).ConfigureAwait(false) is not null)
            {
                throw Refusals.EnvironmentExists(appId, environment);
            }

            var record = new EnvironmentRecord(partition, appId, environment, Now,
                EmulatedOutputs.RootStack(partition, appId, environment).ToDocument());
            await tx.InsertEnvironmentAsync(record).ConfigureAwait(false);
            return record;
        }, cancellationToken);
    }

    public Task<EnvironmentRecord> GetBackendEnvironmentAsync(Partition partition, string appId, string environment,
        CancellationToken cancellationToken) =>
        store.ReadAsync(partition, tx => EnvironmentLookup.RequireAsync(tx, appId, environment), cancellationToken);

    /// <summary>ListBackendEnvironments: the app's environments, oldest first (only the named one when given).</summary>
    public Task<IReadOnlyList<EnvironmentRecord>> ListBackendEnvironmentsAsync(Partition partition, string appId, string? environment,
        CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<EnvironmentRecord>>(partition, async tx =>
        {
            await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            var all = await tx.ListEnvironmentsAsync(appId).ConfigureAwait(false);
            return environment is null ? all : all.Where(e => e.Name == environment).ToList();
        }, cancellationToken);

    /// <summary>DeleteBackendEnvironment: the environment and its resources; refused while a job on it is pending.</summary>
    public Task<EnvironmentRecord> DeleteBackendEnvironmentAsync(Partition partition, string appId, string environment,
        CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            var record = await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            if ((await tx.ListPendingJobsAsync(appId, environment).ConfigureAwait(false)).Count > 0)
            {
                throw Refusals.PendingJob(appId, environment);
            }

            await tx.DeleteEnvironmentAsync(appId, environment).ConfigureAwait(false);
            return record;
        }, cancellationToken);

    public Task<(AppRecord App, BranchRecord Branch)> CreateBranchAsync(Partition partition, string appId, BranchRecord branch,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(branch);
        Identifiers.Require(branch.Name, "branchName");
        var now = Now;
        var made = branch with { CreatedAt = now, UpdatedAt = now };
        return ChangeBranchesAsync(partition, appId, branches =>
        {
            if (branches.Any(b => b.Name == branch.Name))
            {
                throw DomainException.Invalid($"Branch {branch.Name} already exists for app {appId}.");
            }

            if (branches.Count >= MaxBranches)
            {
                throw DomainException.LimitExceeded($"App {appId} already has {MaxBranches} branches, the most an app may have.");
            }

            return ([.. branches, made], made);
        }, cancellationToken);
    }

    public async Task<(AppRecord App, BranchRecord Branch)> GetBranchAsync(Partition partition, string appId, string branchName,
        CancellationToken cancellationToken)
    {
        var app = await GetAppAsync(partition, appId, cancellationToken).ConfigureAwait(false);
        return (app, FindBranch(app, branchName));
    }

    public Task<(AppRecord App, BranchRecord Branch)> UpdateBranchAsync(Partition partition, string appId, string branchName,
        Func<BranchRecord, BranchRecord> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var now = Now;
        return ChangeBranchesAsync(partition, appId, branches =>
        {
            var old = branches.FirstOrDefault(b => b.Name == branchName) ?? throw BranchNotFound(appId, branchName);
            var updated = change(old) with { Name = old.Name, CreatedAt = old.CreatedAt, UpdatedAt = now };
            return (branches.Select(b => b.Name == branchName ? updated : b).ToList(), updated);
        }, cancellationToken);
    }

    public Task<(AppRecord App, BranchRecord Branch)> DeleteBranchAsync(Partition partition, string appId, string branchName,
        CancellationToken cancellationToken) =>
        ChangeBranchesAsync(partition, appId, branches =>
        {
            var old = branches.FirstOrDefault(b => b.Name == branchName) ?? throw BranchNotFound(appId, branchName);
            return (branches.Where(b => b.Name != branchName).ToList(), old);
        }, cancellationToken);

    /// <summary>The tags of the app or branch an ARN of this partition names.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ListTagsAsync(Partition partition, string resourceArn,
        CancellationToken cancellationToken)
    {
        var (appId, branchName) = ParseArn(partition, resourceArn);
        var app = await GetAppAsync(partition, appId, cancellationToken).ConfigureAwait(false);
        return branchName is null ? (app.Hosting ?? new HostingSettings()).Tags : FindBranch(app, branchName).Tags;
    }

    /// <summary>Applies <paramref name="change"/> to the tags of the app or branch an ARN of this partition names.</summary>
    public Task ChangeTagsAsync(Partition partition, string resourceArn,
        Func<IReadOnlyDictionary<string, string>, IReadOnlyDictionary<string, string>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (appId, branchName) = ParseArn(partition, resourceArn);
        return branchName is null
            ? UpdateAppAsync(partition, appId, null, s => s with { Tags = change(s.Tags) }, cancellationToken)
            : UpdateBranchAsync(partition, appId, branchName, b => b with { Tags = change(b.Tags) }, cancellationToken);
    }

    /// <summary>The ARN of an app.</summary>
    public static string AppArn(Partition partition, string appId) =>
        $"arn:{partition.ArnPartition}:amplify:{partition.Region}:{partition.AccountId}:apps/{appId}";

    public static string BranchArn(Partition partition, string appId, string branchName) =>
        $"{AppArn(partition, appId)}/branches/{branchName}";

    public static string BackendEnvironmentArn(Partition partition, string appId, string environment) =>
        $"{AppArn(partition, appId)}/backendenvironments/{environment}";

    private static BranchRecord FindBranch(AppRecord app, string branchName) =>
        (app.Hosting?.Branches ?? []).FirstOrDefault(b => b.Name == branchName) ?? throw BranchNotFound(app.AppId, branchName);

    private static DomainException BranchNotFound(string appId, string branchName) =>
        DomainException.NotFound("Branch", $"Branch {branchName} was not found for app {appId}.");

    private static (string AppId, string? Branch) ParseArn(Partition partition, string resourceArn)
    {
        var prefix = AppArn(partition, "");
        if (resourceArn is null || !resourceArn.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw DomainException.Invalid(
                $"The resource ARN {resourceArn} does not name an Amplify app or branch of this account and region.");
        }

        // A branch name may hold slashes itself (feature/login): everything after "branches/" is the name.
        var parts = resourceArn[prefix.Length..].Split('/', 3);
        return parts switch
        {
            [var app] when app.Length > 0 => (app, null),
            [var app, "branches", var branch] when app.Length > 0 && branch.Length > 0 => (app, branch),
            _ => throw DomainException.Invalid($"The resource ARN {resourceArn} does not name an Amplify app or branch."),
        };
    }

    private Task<(AppRecord App, BranchRecord Branch)> ChangeBranchesAsync(Partition partition, string appId,
        Func<IReadOnlyList<BranchRecord>, (IReadOnlyList<BranchRecord> Branches, BranchRecord Result)> change,
        CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            var app = await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            var settings = app.Hosting ?? new HostingSettings();
            var (branches, result) = change(settings.Branches);
            var updated = app with { Hosting = settings with { Branches = branches } };
            await tx.PutAppAsync(updated).ConfigureAwait(false);
            return (updated, result);
        }, cancellationToken);

    private Task<AppRecord> ChangeAppAsync(Partition partition, string appId, Func<AppRecord, AppRecord> change,
        CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            var app = change(await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false));
            await tx.PutAppAsync(app).ConfigureAwait(false);
            return app;
        }, cancellationToken);
}
