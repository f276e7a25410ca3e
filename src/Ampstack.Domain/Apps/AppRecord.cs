using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
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

    /// <summary>
    /// The app's revision as the store read it: written anew, in the same transaction, by every write of the app, its
    /// environments, resources, models or jobs (not by a claim's lease), and never the same for two states of them, so two
    /// reads that see the same revision saw the same app, environments, resources, models and jobs. A record made to be
    /// written has none (0); the store gives it one. Not part of a snapshot: an imported app is given a new one.
    /// </summary>
    [JsonIgnore]
    public long Revision { get; init; }
}

/// <summary>The Admin UI ("backend config") of an app.</summary>
/// <param name="BackendManagerAppId">The sandbox app id given to CreateBackendConfig, if any.</param>
/// <param name="LoginAuthConfig">The Cognito configuration Studio's own login uses, keyed by model member names.</param>
public sealed record AdminUiConfig(string? BackendManagerAppId, JsonObject LoginAuthConfig);
