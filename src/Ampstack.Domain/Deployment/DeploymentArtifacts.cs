using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Ampstack.Domain.Deployment;

/// <summary>An object in a deployment bucket.</summary>
/// <param name="Key">The object key.</param>
/// <param name="Bytes">Its content.</param>
/// <param name="ETag">S3's ETag for it: the MD5 of the content in hex, quoted.</param>
/// <param name="ContentType">The content type it is served with.</param>
/// <param name="LastModified">When the environment last changed, epoch milliseconds.</param>
public sealed record ArtifactObject(string Key, byte[] Bytes, string ETag, string ContentType, long LastModified);

/// <summary>
/// The objects in an environment's deployment bucket, read-only, made from the state: <c>#current-cloud-backend.zip</c>
/// (the Amplify CLI project <see cref="AmplifyProject"/> describes), <c>amplify-meta.json</c> and
/// <c>backend-config.json</c> beside it, and each API's generated models under <c>models/API/</c>
/// (<see cref="ModelObjects"/>, only when they are asked for). The zip is made deterministically (entries sorted, one
/// fixed timestamp), so the same state gives the same bytes and ETag.
/// </summary>
public sealed class DeploymentArtifacts
{
    public const string CurrentCloudBackendKey = "#current-cloud-backend.zip";

    /// <summary>The timestamp of every zip entry (the zip format's epoch): entries carry no time that could vary.</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DeploymentArtifacts(IReadOnlyList<ArtifactObject> objects) =>
        Objects = objects.OrderBy(o => o.Key, StringComparer.Ordinal).ToList();

    /// <summary>Every object, by key in byte order (as ListObjectsV2 lists them).</summary>
    public IReadOnlyList<ArtifactObject> Objects { get; }

    public ArtifactObject? Find(string key) => Objects.FirstOrDefault(o => o.Key == key);

    /// <summary>
    /// The project files and their zip, made from <paramref name="deployed"/>, last modified at <paramref name="modifiedAt"/>
    /// (epoch milliseconds; by default the newest resource's creation).
    /// </summary>
    public static DeploymentArtifacts Build(DeployedEnvironment deployed, long? modifiedAt = null)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var files = AmplifyProject.Files(deployed);
        var modified = modifiedAt ?? deployed.UpdatedAt;
        var objects = new List<ArtifactObject>
        {
            Make(CurrentCloudBackendKey, Zip(files), "application/zip", modified),
            Make("amplify-meta.json", Encoding.UTF8.GetBytes(files["amplify-meta.json"]), "application/json", modified),
            Make("backend-config.json", Encoding.UTF8.GetBytes(files["backend-config.json"]), "application/json", modified),
        };
        return new DeploymentArtifacts(objects);
    }

    /// <summary>The generated models' objects of the APIs <paramref name="deployed"/> holds models of.</summary>
    public static IEnumerable<ArtifactObject> ModelObjects(DeployedEnvironment deployed, long modifiedAt)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        foreach (var (api, models) in deployed.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            yield return Make($"models/{api}/schema.js", Encoding.UTF8.GetBytes(models.SchemaJs), "application/javascript", modifiedAt);
            yield return Make($"models/{api}/model-introspection.json", Encoding.UTF8.GetBytes(models.Introspection), "application/json",
                modifiedAt);
        }
    }

    /// <summary>These objects and <paramref name="more"/>, in key order.</summary>
    public DeploymentArtifacts With(IEnumerable<ArtifactObject> more) => new([.. Objects, .. more]);

    // S3's ETag of a single-part object is its MD5: clients compare it with their own, so no other hash will do. It names
    // content; it protects nothing.
#pragma warning disable CA5351
    private static ArtifactObject Make(string key, byte[] bytes, string contentType, long modified) =>
        new(key, bytes, $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"", contentType, modified);
#pragma warning restore CA5351

    private static byte[] Zip(SortedDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                using var stream = entry.Open();
                stream.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }
}
