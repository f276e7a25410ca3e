using System.Text.Json.Nodes;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>An S3 storage resource's outputs (amplify-meta.json's <c>output</c>); stored in this member order.</summary>
public sealed record StorageOutputs
{
    public string? BucketName { get; init; }

    public string? Region { get; init; }

    public JsonObject ToDocument() => OutputDocuments.Write(this, OutputsJsonContext.Default.StorageOutputs);

    public static StorageOutputs From(JsonObject document) => OutputDocuments.Read(document, OutputsJsonContext.Default.StorageOutputs);
}
