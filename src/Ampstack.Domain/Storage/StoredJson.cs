using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Hosting;
using Ampstack.Domain.Jobs;

namespace Ampstack.Domain.Storage;

/// <summary>The JSON column forms of record parts, shared by every store so that their data stays interchangeable.</summary>
public static class StoredJson
{
    public static string Write(JsonObject value) => value.ToJsonString();

    public static JsonObject ReadObject(string text) => JsonNode.Parse(text) as JsonObject ?? [];

    public static string? Write(AdminUiConfig? config) => config is null ? null : new JsonObject
    {
        ["backendManagerAppId"] = config.BackendManagerAppId,
        ["loginAuthConfig"] = config.LoginAuthConfig.DeepClone(),
    }.ToJsonString();

    public static AdminUiConfig? ReadAdminUi(string? text) => text is null ? null : ReadObject(text) is var o
        ? new AdminUiConfig((string?)o["backendManagerAppId"], o["loginAuthConfig"] as JsonObject ?? [])
        : null;

    public static string? Write(HostingSettings? hosting) =>
        hosting is null ? null : JsonSerializer.Serialize(hosting, StoredJsonContext.Default.HostingSettings);

    public static HostingSettings? ReadHosting(string? text) =>
        text is null ? null : JsonSerializer.Deserialize(text, StoredJsonContext.Default.HostingSettings);

    public static string Write(JobWork work) => new JsonObject
    {
        ["generateModelsFor"] = work.GenerateModelsFor,
        ["failureReason"] = work.FailureReason,
    }.ToJsonString();

    public static JobWork ReadJobWork(string text) => ReadObject(text) is var o
        ? new JobWork((string?)o["generateModelsFor"], (string?)o["failureReason"])
        : JobWork.None;
}

/// <summary>The stored JSON form of the typed records kept whole in one column (camelCase members, nulls left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostingSettings))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
