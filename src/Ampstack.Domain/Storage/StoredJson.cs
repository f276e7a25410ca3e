using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
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

    public static string Write(JobWork work) => new JsonObject
    {
        ["generateModelsFor"] = work.GenerateModelsFor,
        ["failureReason"] = work.FailureReason,
    }.ToJsonString();

    public static JobWork ReadJobWork(string text) => ReadObject(text) is var o
        ? new JobWork((string?)o["generateModelsFor"], (string?)o["failureReason"])
        : JobWork.None;
}
