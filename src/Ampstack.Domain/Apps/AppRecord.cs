using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Hosting;

namespace Ampstack.Domain.Apps;

/// <summary>An Amplify app known to the partition.</summary>
/// <param name="Partition">The owning (account, region).</param>
/// <param name="AppId">The app id chosen by the client.</param>
/// <param name="AppName">The app name given at creation.</param>
/// <param name="CreatedAt">Creation time, epoch milliseconds.</param>
/// <param name="AdminUi">The Admin UI configuration, when the Admin UI is enabled.</param>
public sealed record AppRecord(Partition Partition, string AppId, string AppName, long CreatedAt, AdminUiConfig? AdminUi)
{
    /// <summary>Amplify Hosting's settings and branches; null for an app nobody set them on (the defaults hold).</summary>
    public HostingSettings? Hosting { get; init; }
}

/// <summary>The Admin UI ("backend config") of an app.</summary>
/// <param name="BackendManagerAppId">The sandbox app id given to CreateBackendConfig, if any.</param>
/// <param name="LoginAuthConfig">The Cognito configuration Studio's own login uses, keyed by model member names.</param>
public sealed record AdminUiConfig(string? BackendManagerAppId, JsonObject LoginAuthConfig);
