using System.Text.Json.Nodes;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>
/// A Cognito auth resource's outputs (amplify-meta.json's <c>output</c>, the nested stack's outputs). Property names are
/// amplify-meta's keys; stored in this member order, absent members left out.
/// </summary>
public sealed record AuthOutputs
{
    public string? UserPoolId { get; init; }

    public string? UserPoolArn { get; init; }

    public string? UserPoolName { get; init; }

    public string? AppClientID { get; init; }

    public string? AppClientIDWeb { get; init; }

    public string? IdentityPoolId { get; init; }

    public string? IdentityPoolName { get; init; }

    public string? HostedUIDomain { get; init; }

    /// <summary>The hosted UI's OAuth settings, as JSON text (<see cref="Outputs.OAuthMetadata"/>).</summary>
    public string? OAuthMetadata { get; init; }

    public JsonObject ToDocument() => OutputDocuments.Write(this, OutputsJsonContext.Default.AuthOutputs);

    public static AuthOutputs From(JsonObject document) => OutputDocuments.Read(document, OutputsJsonContext.Default.AuthOutputs);
}
