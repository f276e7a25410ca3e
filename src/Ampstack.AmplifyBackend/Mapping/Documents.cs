using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Ampstack.AmplifyBackend.Api;

namespace Ampstack.AmplifyBackend.Mapping;

/// <summary>
/// Resource and Admin UI configurations between their typed shapes and the documents the domain stores: JSON keyed by the
/// model's member names (what is on disk), null members left out.
/// </summary>
internal static class Documents
{
    public static JsonObject From<T>(T shape)
        where T : class =>
        JsonSerializer.SerializeToNode(shape, Info<T>()) as JsonObject
        ?? throw new InvalidOperationException($"{typeof(T).Name} did not serialize to an object");

    public static JsonObject? FromOptional<T>(T? shape)
        where T : class => shape is null ? null : From(shape);

    /// <summary>The typed form of a stored document; members the shape does not have are left out.</summary>
    public static T? To<T>(JsonNode? document)
        where T : class => document is null ? null : document.Deserialize(Info<T>());

    private static JsonTypeInfo<T> Info<T>() =>
        AmplifyBackendJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>
        ?? throw new InvalidOperationException($"{typeof(T).Name} is not a shape of the AmplifyBackend model");
}
