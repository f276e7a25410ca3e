using System.Collections.Concurrent;
using Ampstack.Domain.Common;

namespace Ampstack.Domain.Deployment;

/// <summary>
/// The deployment artifacts last made for each environment, kept until the environment's state changes (its
/// <see cref="DeploymentArtifacts.Fingerprint"/> differs), so repeated pulls read the same zip without making it again.
/// Bounded: past <see cref="Capacity"/> environments it starts afresh.
/// </summary>
public sealed class ArtifactCache
{
    public const int Capacity = 1024;

    private readonly ConcurrentDictionary<(Partition, string App, string Environment), (string Fingerprint, DeploymentArtifacts Artifacts)>
        _entries = new();

    public DeploymentArtifacts Get(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var key = (deployed.Environment.Partition, deployed.App.AppId, deployed.Environment.Name);
        var fingerprint = DeploymentArtifacts.Fingerprint(deployed);
        if (_entries.TryGetValue(key, out var entry) && entry.Fingerprint == fingerprint)
        {
            return entry.Artifacts;
        }

        var artifacts = DeploymentArtifacts.Build(deployed);
        if (_entries.Count >= Capacity)
        {
            _entries.Clear();
        }

        _entries[key] = (fingerprint, artifacts);
        return artifacts;
    }
}
