using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>Between the typed outputs and the JSON documents stored with environments and resources.</summary>
internal static class OutputDocuments
{
    public static JsonObject Write<T>(T outputs, JsonTypeInfo<T> info) =>
        JsonSerializer.SerializeToNode(outputs, info) as JsonObject
        ?? throw new InvalidOperationException($"{typeof(T).Name} did not serialize to an object");

    public static T Read<T>(JsonObject document, JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Deserialize(info) ?? throw new InvalidOperationException($"A stored {typeof(T).Name} is null");
    }
}

/// <summary>System.Text.Json metadata for the outputs: property names are amplify-meta's keys, absent members left out.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RootStackOutputs))]
[JsonSerializable(typeof(AuthOutputs))]
[JsonSerializable(typeof(OAuthMetadata))]
[JsonSerializable(typeof(ApiOutputs))]
[JsonSerializable(typeof(StorageOutputs))]
internal sealed partial class OutputsJsonContext : JsonSerializerContext;
