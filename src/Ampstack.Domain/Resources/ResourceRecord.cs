using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Domain.Resources;

/// <summary>An auth, API or storage resource of an environment.</summary>
/// <param name="Partition">The owning (account, region).</param>
/// <param name="AppId">The app.</param>
/// <param name="Environment">The environment name.</param>
/// <param name="Kind">auth, api or storage.</param>
/// <param name="Name">The resource name.</param>
/// <param name="Config">The configuration exactly as the client gave it (model member names), merged over by updates.</param>
/// <param name="Outputs">The emulated deployment outputs (amplify-meta.json <c>output</c> section).</param>
/// <param name="Imported">True for resources made by ImportBackendAuth / ImportBackendStorage.</param>
/// <param name="BucketName">For storage: the S3 bucket.</param>
/// <param name="CreatedAt">Creation time, epoch milliseconds.</param>
public sealed record ResourceRecord(
    Partition Partition,
    string AppId,
    string Environment,
    ResourceKind Kind,
    string Name,
    JsonObject Config,
    JsonObject Outputs,
    bool Imported,
    string? BucketName,
    long CreatedAt)
{
    /// <summary>An auth resource's configuration, read typed from <see cref="Config"/> (parsed at each call).</summary>
    public CreateBackendAuthResourceConfig ReadAuthConfig() => Configurations.ReadAuth(Of(ResourceKind.Auth).Config);

    /// <summary>An API resource's configuration, read typed from <see cref="Config"/> (parsed at each call).</summary>
    public BackendAPIResourceConfig ReadApiConfig() => Configurations.ReadApi(Of(ResourceKind.Api).Config);

    /// <summary>A storage resource's configuration, read typed from <see cref="Config"/> (parsed at each call).</summary>
    public CreateBackendStorageResourceConfig ReadStorageConfig() => Configurations.ReadStorage(Of(ResourceKind.Storage).Config);

    /// <summary>An auth resource's outputs, read typed from <see cref="Outputs"/>.</summary>
    public AuthOutputs ReadAuthOutputs() => AuthOutputs.From(Of(ResourceKind.Auth).Outputs);

    /// <summary>An API resource's outputs, read typed from <see cref="Outputs"/>.</summary>
    public ApiOutputs ReadApiOutputs() => ApiOutputs.From(Of(ResourceKind.Api).Outputs);

    /// <summary>A storage resource's outputs, read typed from <see cref="Outputs"/>.</summary>
    public StorageOutputs ReadStorageOutputs() => StorageOutputs.From(Of(ResourceKind.Storage).Outputs);

    private ResourceRecord Of(ResourceKind kind) => Kind == kind
        ? this
        : throw new InvalidOperationException($"{Name} is a {Kind.ToStored()} resource, not {kind.ToStored()}.");
}

/// <summary>Data models generated from an API's schema.</summary>
/// <param name="SchemaJs">The DataStore <c>schema.js</c> text.</param>
/// <param name="Introspection">The model introspection schema JSON text.</param>
/// <param name="SchemaHash">The hash of the schema they were generated from.</param>
public sealed record GeneratedModels(string SchemaJs, string Introspection, string SchemaHash);
