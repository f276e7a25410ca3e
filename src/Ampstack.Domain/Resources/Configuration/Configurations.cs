using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Ampstack.Domain.Resources.Configuration;

/// <summary>
/// Stored configurations read through the records generated from the model (<c>ResourceConfigurations.g.cs</c>). The
/// document stays as the client gave it (updates merge over it as JSON); only reading is typed, so a member the model
/// renames or removes breaks the build where the domain reads it, not a request at run time.
/// </summary>
public static class Configurations
{
    /// <summary>An auth configuration: CreateBackendAuth's, with what UpdateBackendAuth merged over it.</summary>
    public static CreateBackendAuthResourceConfig ReadAuth(JsonObject document) =>
        Read(document, ConfigurationJsonContext.Default.CreateBackendAuthResourceConfig);

    /// <summary>An API configuration: CreateBackendAPI's, or an UpdateBackendAPI's (the same shape).</summary>
    public static BackendAPIResourceConfig ReadApi(JsonObject document) =>
        Read(document, ConfigurationJsonContext.Default.BackendAPIResourceConfig);

    /// <summary>A storage configuration: CreateBackendStorage's (or ImportBackendStorage's), with updates merged over it.</summary>
    public static CreateBackendStorageResourceConfig ReadStorage(JsonObject document) =>
        Read(document, ConfigurationJsonContext.Default.CreateBackendStorageResourceConfig);

    /// <summary>An Admin UI login configuration: CreateBackendConfig's emulated one, or UpdateBackendConfig's.</summary>
    public static LoginAuthConfigReqObj ReadLogin(JsonObject document) =>
        Read(document, ConfigurationJsonContext.Default.LoginAuthConfigReqObj);

    /// <summary>The stored form of an Admin UI login configuration the domain makes itself (model member names and order).</summary>
    public static JsonObject ToDocument(LoginAuthConfigReqObj config) =>
        JsonSerializer.SerializeToNode(config, ConfigurationJsonContext.Default.LoginAuthConfigReqObj) as JsonObject
        ?? throw new InvalidOperationException("A login configuration did not serialize to an object");

    private static T Read<T>(JsonObject document, JsonTypeInfo<T> info)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.Deserialize(info) ?? throw new InvalidOperationException($"A stored {typeof(T).Name} is null");
    }
}
