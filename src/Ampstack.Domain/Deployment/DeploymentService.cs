using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Deployment;

/// <summary>
/// What an environment looks like deployed, read from the store: its CloudFormation stacks and the deployment artifacts in
/// its deployment bucket, found by the names Amplify gives them (<c>amplify-APP-ENV-NNNNNN</c>, its
/// <c>-deployment</c> bucket, and the nested stacks named after it).
/// </summary>
public sealed class DeploymentService(IBackendStore store, ArtifactCache artifacts)
{
    private const string NamePrefix = "amplify-";
    private const string BucketSuffix = "-deployment";

    /// <summary>Past this length a name is no stack or bucket of ours (CloudFormation allows 128, S3 63).</summary>
    private const int MaxNameLength = 256;

    /// <summary>
    /// Each environment found by name (without its models), kept while its app's revision stays: a read of the app's row
    /// instead of the environment and its resources, for every artifact a pull reads. Fewer than the artifact cache's: an
    /// entry holds every resource's configuration parsed (an API's schema may be 512 Ki characters).
    /// </summary>
    private readonly RevisionCache<(Partition, string App, string Environment), DeployedEnvironment> _found = new(256);

    /// <summary>
    /// What each bucket or stack name was found to be (without models), kept at its app's revision (a bucket by its stack
    /// name, the name without <c>-deployment</c>): the next lookup of the name reads only that app's revision (one
    /// statement, read together with other requests' on PostgreSQL) instead of a transaction trying each way of splitting
    /// the name. A bucket or stack name is one environment's: its root stack name ends in digits
    /// (<c>amplify-APP-ENV-NNNNNN</c>), so no other split of the name can be another environment's.
    /// </summary>
    private readonly RevisionCache<(Partition, bool ByBucket, string StackName), DeployedEnvironment> _named = new(256);

    /// <summary>
    /// The environment whose deployment bucket this is, or null; with its APIs' generated models only when asked (they can
    /// be tens of megabytes, and only the <c>models/</c> objects and listings need them).
    /// </summary>
    public Task<DeployedEnvironment?> FindByBucketAsync(Partition partition, string bucket, bool withModels,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (!bucket.EndsWith(BucketSuffix, StringComparison.Ordinal))
        {
            return Task.FromResult<DeployedEnvironment?>(null);
        }

        var stackName = bucket[..^BucketSuffix.Length];
        return FindAsync(partition, stackName, byBucket: true, e => e.DeploymentBucket == bucket, withModels, cancellationToken);
    }

    /// <summary>
    /// The stack a name or stack ARN names: an environment's root stack, or one of its nested stacks; null when there is
    /// no such stack in the partition.
    /// </summary>
    public async Task<(DeployedEnvironment Environment, StackInfo Stack)?> FindStackAsync(Partition partition, string nameOrArn,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(nameOrArn);
        var name = StackNameOf(partition, nameOrArn);
        if (name is null)
        {
            return null;
        }

        var deployed = await FindAsync(partition, name, byBucket: false,
            e => name == e.RootStackName || name.StartsWith(e.RootStackName + "-", StringComparison.Ordinal), withModels: false,
            cancellationToken)
            .ConfigureAwait(false);
        if (deployed is null)
        {
            return null;
        }

        var root = Stacks.Root(deployed);
        var stack = name == root.Name ? root : Stacks.Nested(deployed).Select(n => n.Stack).FirstOrDefault(s => s.Name == name);
        if (stack is null || (nameOrArn.StartsWith("arn:", StringComparison.Ordinal) && nameOrArn != stack.Id))
        {
            return null;
        }

        return (deployed, stack);
    }

    /// <summary>
    /// Every environment of the partition's apps (without generated models), by app id then age: what ListStacks and S3's
    /// ListBuckets show.
    /// </summary>
    public Task<IReadOnlyList<DeployedEnvironment>> ListAsync(Partition partition, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<DeployedEnvironment>>(partition, async tx =>
        {
            const int Page = 100;
            var all = new List<DeployedEnvironment>();
            string? after = null;
            while (true)
            {
                var apps = await tx.ListAppsAsync(after, Page).ConfigureAwait(false);
                foreach (var app in apps)
                {
                    foreach (var environment in await tx.ListEnvironmentsAsync(app.AppId).ConfigureAwait(false))
                    {
                        var resources = await tx.ListResourcesAsync(app.AppId, environment.Name).ConfigureAwait(false);
                        all.Add(new DeployedEnvironment(app, environment, resources, new Dictionary<string, GeneratedModels>()));
                    }
                }

                if (apps.Count < Page)
                {
                    return all;
                }

                after = apps[^1].AppId;
            }
        }, cancellationToken);

    /// <summary>
    /// The deployment artifacts of an environment: the project's, made once per state of the environment, and the
    /// generated models' objects when <paramref name="deployed"/> holds them.
    /// </summary>
    public DeploymentArtifacts ArtifactsOf(DeployedEnvironment deployed) => artifacts.Get(deployed);

    private static string? StackNameOf(Partition partition, string nameOrArn)
    {
        if (!nameOrArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return nameOrArn;
        }

        // arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID
        var parts = nameOrArn.Split(':', 6);
        if (parts.Length != 6 || parts[2] != "cloudformation" || parts[3] != partition.Region || parts[4] != partition.AccountId)
        {
            return null;
        }

        var path = parts[5].Split('/');
        return path is ["stack", var name, _] ? name : null;
    }

    /// <summary>
    /// The environment whose root stack name begins <paramref name="name"/> and that <paramref name="matches"/>: app ids
    /// and environment names may hold hyphens themselves, so each way of splitting the name is tried (a handful).
    /// <paramref name="byBucket"/> says whose lookup it is, a bucket's or a stack's, for what is kept of it.
    /// </summary>
    private async Task<DeployedEnvironment?> FindAsync(Partition partition, string name, bool byBucket,
        Func<DeployedEnvironment, bool> matches, bool withModels, CancellationToken cancellationToken)
    {
        var lookup = (partition, byBucket, name);
        if (!name.StartsWith(NamePrefix, StringComparison.Ordinal) || name.Length > MaxNameLength)
        {
            return null;
        }

        if (!withModels && _named.TryPeek(lookup, out var keptAt, out var known)
            && await store.ReadAppRevisionAsync(partition, known.App.AppId, cancellationToken).ConfigureAwait(false) == keptAt)
        {
            return known;
        }

        var rest = name[NamePrefix.Length..];
        var hyphens = Enumerable.Range(0, rest.Length).Where(i => rest[i] == '-').Take(16).ToList();
        return await store.ReadAsync(partition, async tx =>
        {
            for (var a = 0; a < hyphens.Count; a++)
            {
                var appId = rest[..hyphens[a]];
                if (await tx.GetAppRevisionAsync(appId).ConfigureAwait(false) is not { } revision)
                {
                    continue;
                }

                AppRecord? app = null;
                for (var b = a + 1; b <= hyphens.Count; b++)
                {
                    var end = b < hyphens.Count ? hyphens[b] : rest.Length;
                    var key = (partition, appId, rest[(hyphens[a] + 1)..end]);
                    if (withModels || !_found.TryGet(key, revision, out var deployed))
                    {
                        var environment = await tx.GetEnvironmentAsync(appId, key.Item3).ConfigureAwait(false);
                        if (environment is null)
                        {
                            continue;
                        }

                        // The app row is read whole only once an environment of the name is there to load.
                        app ??= await tx.GetAppAsync(appId).ConfigureAwait(false);
                        if (app is null)
                        {
                            continue;
                        }

                        deployed = await LoadAsync(tx, app, environment, withModels).ConfigureAwait(false);
                        if (!withModels)
                        {
                            _found.Put(key, revision, deployed);
                        }
                    }

                    if (matches(deployed))
                    {
                        if (!withModels)
                        {
                            _named.Put(lookup, revision, deployed);
                        }

                        return deployed;
                    }
                }
            }

            return (DeployedEnvironment?)null;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async ValueTask<DeployedEnvironment> LoadAsync(IStoreTransaction tx, AppRecord app, EnvironmentRecord environment,
        bool withModels)
    {
        var resources = await tx.ListResourcesAsync(app.AppId, environment.Name).ConfigureAwait(false);
        var models = new Dictionary<string, GeneratedModels>(StringComparer.Ordinal);
        foreach (var api in withModels ? resources.Where(r => r.Kind == ResourceKind.Api) : [])
        {
            if (await tx.GetModelsAsync(app.AppId, environment.Name, api.Name).ConfigureAwait(false) is { } m)
            {
                models[api.Name] = m;
            }
        }

        return new DeployedEnvironment(app, environment, resources, models);
    }
}
