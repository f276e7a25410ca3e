using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>Apps and their backend environments: create, describe, clone, delete, remove all.</summary>
public sealed class BackendService(IBackendStore store, JobService jobs)
{
    /// <summary>
    /// GetBackend's answers by (partition, app, environment named or null), kept while the app's revision stays: a read
    /// of the app's row instead of its environments and resources, and no amplify-meta made again.
    /// </summary>
    private readonly RevisionCache<(Partition, string, string?), BackendDetails> _details = new(1024);

    public Task<JobRecord> CreateBackendAsync(Partition partition, string appId, string appName, string environment,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(appId, "appId");
        Identifiers.Require(appName, "appName");
        Identifiers.Require(environment, "backendEnvironmentName");
        return jobs.StartAsync(partition, async tx =>
        {
            var app = await tx.GetAppAsync(appId).ConfigureAwait(false);
            if (app is null)
            {
                app = new AppRecord(partition, appId, appName, jobs.Now, null);
                await tx.PutAppAsync(app).ConfigureAwait(false);
            }
            else if (await tx.GetEnvironmentAsync(appId, environment).ConfigureAwait(false) is not null)
            {
                throw Refusals.EnvironmentExists(appId, environment);
            }

            var job = await jobs.AcceptAsync(tx, appId, environment, "CreateBackend",
                new JobWork(Provision: ProvisionWork.Roles(environment))).ConfigureAwait(false);
            await tx.InsertEnvironmentAsync(new EnvironmentRecord(partition, appId, environment, job.CreatedAt,
                EmulatedOutputs.RootStack(partition, appId, environment).ToDocument())).ConfigureAwait(false);
            return job;
        }, cancellationToken);
    }

    /// <summary>GetBackend: the named environment, or the app's first one when none is named.</summary>
    public async Task<BackendDetails> GetBackendAsync(Partition partition, string appId, string? environment,
        CancellationToken cancellationToken)
    {
        if (environment is not null)
        {
            Identifiers.Require(environment, "backendEnvironmentName");
        }

        var key = (partition, appId, environment);
        if (await store.ReadAppRevisionAsync(partition, appId, cancellationToken).ConfigureAwait(false) is { } now
            && _details.TryGet(key, now, out var known))
        {
            return known;
        }

        return await ReadBackendAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="GetBackendAsync"/> when the answer is not kept for the revision read: apart, so that an answer kept costs
    /// no closure (a lambda's captures are made where the method begins).
    /// </summary>
    private Task<BackendDetails> ReadBackendAsync((Partition, string, string?) key, CancellationToken cancellationToken)
    {
        var (partition, appId, environment) = key;
        return store.ReadAsync(partition, async tx =>
        {
            var revision = await EnvironmentLookup.RequireRevisionAsync(tx, appId).ConfigureAwait(false);
            if (_details.TryGet(key, revision, out var kept))
            {
                return kept;
            }

            var app = await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            var all = await tx.ListEnvironmentsAsync(appId).ConfigureAwait(false);
            // The environment named is one of the app's, listed already: no second lookup.
            var env = environment is null
                ? (all.Count > 0 ? all[0] : null) ?? throw DomainException.NotFound(ResourceTypes.BackendEnvironment,
                    $"App {appId} has no backend environments.")
                : all.FirstOrDefault(e => e.Name == environment) ?? throw EnvironmentLookup.EnvironmentNotFound(appId, environment);
            var resources = await tx.ListResourcesAsync(appId, env.Name).ConfigureAwait(false);
            var details = new BackendDetails(app.AppId, app.AppName, env.Name, all.Select(e => e.Name).ToList(),
                AmplifyMeta.Build(env, resources), AmplifyMeta.FeatureFlags());
            _details.Put(key, revision, details);
            return details;
        }, cancellationToken);
    }

    /// <summary>
    /// CloneBackend: a new environment with a copy of every resource (new emulated identifiers). The job runs on the source;
    /// with provisioning on it makes the target's roles and each copied resource for real (<see cref="ProvisionWork.CloneInto"/>).
    /// </summary>
    public Task<JobRecord> CloneBackendAsync(Partition partition, string appId, string environment, string target,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(target, "targetEnvironmentName");
        return jobs.StartAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            if (await tx.GetEnvironmentAsync(appId, target).ConfigureAwait(false) is not null)
            {
                throw Refusals.EnvironmentExists(appId, target);
            }

            await JobService.RequireNoPendingJobAsync(tx, appId, target).ConfigureAwait(false);
            var copied = await tx.ListResourcesAsync(appId, environment).ConfigureAwait(false);
            var job = await jobs.AcceptAsync(tx, appId, environment, "CloneBackend",
                new JobWork(Provision: ProvisionWork.CloneInto(target, copied))).ConfigureAwait(false);
            await tx.InsertEnvironmentAsync(new EnvironmentRecord(partition, appId, target, job.CreatedAt,
                EmulatedOutputs.RootStack(partition, appId, target).ToDocument())).ConfigureAwait(false);
            foreach (var resource in copied)
            {
                await tx.PutResourceAsync(ResourceService.CloneInto(resource, target, job.CreatedAt)).ConfigureAwait(false);
            }

            await tx.CopyModelsAsync(appId, environment, target).ConfigureAwait(false);

            return job;
        }, cancellationToken);
    }

    public Task<JobRecord> DeleteBackendAsync(Partition partition, string appId, string environment, CancellationToken cancellationToken) =>
        jobs.StartAsync(partition, async tx =>
        {
            var env = await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            var made = await tx.ListResourcesAsync(appId, environment).ConfigureAwait(false);
            var job = await jobs.AcceptAsync(tx, appId, environment, "DeleteBackend",
                new JobWork(Provision: ProvisionWork.Teardown(made, [env]))).ConfigureAwait(false);
            await tx.DeleteEnvironmentAsync(appId, environment).ConfigureAwait(false);
            return job;
        }, cancellationToken);

    /// <summary>
    /// RemoveAllBackends: every environment goes; with <paramref name="cleanAmplifyApp"/> the app, its Admin UI config and
    /// tokens go too. The job is recorded under the app's first environment (or <c>staging</c> when it has none).
    /// </summary>
    public Task<JobRecord> RemoveAllBackendsAsync(Partition partition, string appId, bool cleanAmplifyApp,
        CancellationToken cancellationToken) =>
        jobs.StartAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            await JobService.RequireNoPendingJobAsync(tx, appId, null).ConfigureAwait(false);
            var environments = await tx.ListEnvironmentsAsync(appId).ConfigureAwait(false);
            var made = new List<ResourceRecord>();
            foreach (var env in environments)
            {
                made.AddRange(await tx.ListResourcesAsync(appId, env.Name).ConfigureAwait(false));
            }

            var job = await jobs.AcceptAsync(tx, appId, FirstEnvironmentName(environments), "RemoveAllBackends",
                new JobWork(Provision: ProvisionWork.Teardown(made, environments))).ConfigureAwait(false);
            foreach (var env in environments)
            {
                await tx.DeleteEnvironmentAsync(appId, env.Name).ConfigureAwait(false);
            }

            if (cleanAmplifyApp)
            {
                await tx.DeleteAppAsync(appId).ConfigureAwait(false);
            }

            return job;
        }, cancellationToken);

    /// <summary>The environment app-wide jobs are recorded under.</summary>
    public static string FirstEnvironmentName(IReadOnlyList<EnvironmentRecord> environments) =>
        environments.Count > 0 ? environments[0].Name : "staging";
}
