using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Domain.Apps;

/// <summary>A backend environment of an app.</summary>
/// <param name="Partition">The owning (account, region).</param>
/// <param name="AppId">The app.</param>
/// <param name="Name">The environment name.</param>
/// <param name="CreatedAt">Creation time, epoch milliseconds.</param>
/// <param name="Provider">The emulated root-stack outputs (<c>providers.awscloudformation</c> of amplify-meta.json).</param>
public sealed record EnvironmentRecord(Partition Partition, string AppId, string Name, long CreatedAt, JsonObject Provider)
{
    /// <summary>The root stack's outputs, read typed from <see cref="Provider"/> (parsed at each call).</summary>
    public RootStackOutputs ReadRootStack() => RootStackOutputs.From(Provider);
}
