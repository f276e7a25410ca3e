using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Apps;

/// <summary>Apps and their backend environments: create, describe, clone, delete, remove all.</summary>
public sealed class BackendService(IBackendStore store, JobService jobs)
{
    public Task<JobRecord> CreateBackendAsync(Partition partition, string appId, string appName, string environment,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(appId, "appId");
        Identifiers.Require(appName, "appName");
        Identifiers.Require(environment, "backendEnvironmentName");
        return jobs.StartAsync(tx =>
        {
            var app = tx.GetApp(partition, appId);
            if (app is null)
            {
                app = new AppRecord(partition, appId, appName, jobs.Now, null);
                tx.PutApp(app);
            }
            else if (tx.GetEnvironment(partition, appId, environment) is not null)
            {
                throw DomainException.Invalid($"Backend environment {environment} already exists for app {appId}.");
            }

            var job = jobs.Accept(tx, partition, appId, environment, "CreateBackend");
            tx.InsertEnvironment(new EnvironmentRecord(partition, appId, environment, job.CreatedAt,
                EmulatedOutputs.RootStack(partition, appId, environment)));
            return job;
        }, cancellationToken);
    }

    /// <summary>GetBackend: the named environment, or the app's first one when none is named.</summary>
    public Task<BackendDetails> GetBackendAsync(Partition partition, string appId, string? environment, CancellationToken cancellationToken)
    {
        if (environment is not null)
        {
            Identifiers.Require(environment, "backendEnvironmentName");
        }

        return store.ReadAsync(tx =>
        {
            var app = EnvironmentLookup.RequireApp(tx, partition, appId);
            var all = tx.ListEnvironments(partition, appId);
            var env = environment is null
                ? (all.Count > 0 ? all[0] : null) ?? throw DomainException.NotFound(ResourceTypes.BackendEnvironment,
                    $"App {appId} has no backend environments.")
                : EnvironmentLookup.Require(tx, partition, appId, environment);
            var resources = tx.ListResources(partition, appId, env.Name);
            return new BackendDetails(app.AppId, app.AppName, env.Name, all.Select(e => e.Name).ToList(),
                AmplifyMeta.Build(env, resources), AmplifyMeta.FeatureFlags());
        }, cancellationToken);
    }

    /// <summary>
    /// CloneBackend: a new environment with a copy of every resource (new emulated identifiers).
    /// The job runs on the source.
    /// </summary>
    public Task<JobRecord> CloneBackendAsync(Partition partition, string appId, string environment, string target,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(target, "targetEnvironmentName");
        return jobs.StartAsync(tx =>
        {
            EnvironmentLookup.Require(tx, partition, appId, environment);
            if (tx.GetEnvironment(partition, appId, target) is not null)
            {
                throw DomainException.Invalid($"Backend environment {target} already exists for app {appId}.");
            }

            JobService.RequireNoPendingJob(tx, partition, appId, target);
            var job = jobs.Accept(tx, partition, appId, environment, "CloneBackend");
            tx.InsertEnvironment(new EnvironmentRecord(partition, appId, target, job.CreatedAt,
                EmulatedOutputs.RootStack(partition, appId, target)));
            foreach (var resource in tx.ListResources(partition, appId, environment))
            {
                tx.PutResource(ResourceService.CloneInto(resource, target, job.CreatedAt));
            }

            tx.CopyModels(partition, appId, environment, target);

            return job;
        }, cancellationToken);
    }

    public Task<JobRecord> DeleteBackendAsync(Partition partition, string appId, string environment, CancellationToken cancellationToken) =>
        jobs.StartAsync(tx =>
        {
            EnvironmentLookup.Require(tx, partition, appId, environment);
            var job = jobs.Accept(tx, partition, appId, environment, "DeleteBackend");
            tx.DeleteEnvironment(partition, appId, environment);
            return job;
        }, cancellationToken);

    /// <summary>
    /// RemoveAllBackends: every environment goes; with <paramref name="cleanAmplifyApp"/> the app, its Admin UI config and
    /// tokens go too. The job is recorded under the app's first environment (or <c>staging</c> when it has none).
    /// </summary>
    public Task<JobRecord> RemoveAllBackendsAsync(Partition partition, string appId, bool cleanAmplifyApp,
        CancellationToken cancellationToken) =>
        jobs.StartAsync(tx =>
        {
            EnvironmentLookup.RequireApp(tx, partition, appId);
            JobService.RequireNoPendingJob(tx, partition, appId, null);
            var environments = tx.ListEnvironments(partition, appId);
            var job = jobs.Accept(tx, partition, appId, FirstEnvironmentName(environments), "RemoveAllBackends");
            foreach (var env in environments)
            {
                tx.DeleteEnvironment(partition, appId, env.Name);
            }

            if (cleanAmplifyApp)
            {
                tx.DeleteApp(partition, appId);
            }

            return job;
        }, cancellationToken);

    /// <summary>The environment app-wide jobs are recorded under.</summary>
    public static string FirstEnvironmentName(IReadOnlyList<EnvironmentRecord> environments) =>
        environments.Count > 0 ? environments[0].Name : "staging";
}
