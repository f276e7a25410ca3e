using Ampstack.Domain.Common;

namespace Ampstack.Domain.Deployment;

/// <summary>
/// The deployment artifacts last made for each environment, kept until the environment's state changes (its app's
/// <see cref="Apps.AppRecord.Revision"/> differs), so repeated pulls read the same zip without making it again.
/// Bounded: past <see cref="Capacity"/> environments it starts afresh.
/// </summary>
/// <remarks>
/// The objects' Last-Modified is when this cache first made them from that state, never earlier than the newest
/// resource: an update changes the content without creating a resource, and a conditional read
/// (<c>If-Modified-Since</c>) must then see a later time, not a 304. A restarted or another node may say a later time for
/// the same bytes (the ETag stays the same), which only makes a conditional read fetch what it had.
/// </remarks>
public sealed class ArtifactCache(TimeProvider time)
{
    public const int Capacity = 1024;

    private readonly RevisionCache<(Partition, string App, string Environment), DeploymentArtifacts> _entries = new(Capacity);

    public DeploymentArtifacts Get(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var key = (deployed.Environment.Partition, deployed.App.AppId, deployed.Environment.Name);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_entries.TryGet(key, deployed.App.Revision, out var made))
        {
            made = DeploymentArtifacts.Build(deployed, Math.Max(deployed.UpdatedAt, now));
            _entries.Put(key, deployed.App.Revision, made);
        }

        // The models are not kept: they are read only for their own objects, and their Last-Modified is the read's time,
        // since they are read from the store on each read of them.
        return deployed.Models.Count == 0 ? made : made.With(DeploymentArtifacts.ModelObjects(deployed, now));
    }
}
