using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Hosting;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;

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

    private static readonly string NoWork = Write(JobWork.None);

    /// <summary>A job's work; <c>provision</c> only when there is some, so jobs without provisioning are stored as before.</summary>
    public static string Write(JobWork work)
    {
        var document = new JsonObject
        {
            ["generateModelsFor"] = work.GenerateModelsFor,
            ["failureReason"] = work.FailureReason,
        };
        if (work.Provision is { } provision)
        {
            document["provision"] = provision.ToDocument();
        }

        return document.ToJsonString();
    }

    /// <summary>
    /// A job's work as stored. Most jobs have none, and a page of 25 jobs is read on every ListBackendJobs: their stored
    /// text is recognised without parsing it.
    /// </summary>
    public static JobWork ReadJobWork(string text) => text == NoWork ? JobWork.None : ReadObject(text) is var o
        ? new JobWork((string?)o["generateModelsFor"], (string?)o["failureReason"], ProvisionWork.From(o["provision"]))
        : JobWork.None;
}

/// <summary>The stored JSON form of the typed records kept whole in one column (camelCase members, nulls left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostingSettings))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
