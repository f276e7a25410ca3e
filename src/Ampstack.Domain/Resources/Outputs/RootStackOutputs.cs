using System.Text.Json.Nodes;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>
/// An environment's root stack outputs: amplify-meta.json's <c>providers.awscloudformation</c>, and the root stack's
/// CloudFormation outputs. Property names are amplify-meta's keys; stored in this member order.
/// </summary>
public sealed record RootStackOutputs
{
    public string? AuthRoleName { get; init; }

    public string? UnauthRoleArn { get; init; }

    public string? AuthRoleArn { get; init; }

    public string? Region { get; init; }

    public string? DeploymentBucketName { get; init; }

    public string? UnauthRoleName { get; init; }

    public string? StackName { get; init; }

    public string? StackId { get; init; }

    public string? AmplifyAppId { get; init; }

    /// <summary>The stored document these outputs are (amplify-meta's member names and order).</summary>
    public JsonObject ToDocument() => OutputDocuments.Write(this, OutputsJsonContext.Default.RootStackOutputs);

    /// <summary>The typed form of a stored document; members it does not know are left out.</summary>
    public static RootStackOutputs From(JsonObject document) => OutputDocuments.Read(document, OutputsJsonContext.Default.RootStackOutputs);

    /// <summary>
    /// The root stack's CloudFormation outputs, in amplify-meta's order: every member but the app id (which the CLI's
    /// root stack does not output), where present.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> StackOutputs()
    {
        var outputs = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                outputs.Add(KeyValuePair.Create(name, value));
            }
        }

        Add(nameof(AuthRoleName), AuthRoleName);
        Add(nameof(UnauthRoleArn), UnauthRoleArn);
        Add(nameof(AuthRoleArn), AuthRoleArn);
        Add(nameof(Region), Region);
        Add(nameof(DeploymentBucketName), DeploymentBucketName);
        Add(nameof(UnauthRoleName), UnauthRoleName);
        Add(nameof(StackName), StackName);
        Add(nameof(StackId), StackId);
        return outputs;
    }
}
