using System.Text.Json;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>An auth resource's <c>OAuthMetadata</c> output: the hosted UI's OAuth settings, kept as JSON text.</summary>
public sealed record OAuthMetadata
{
    public required IReadOnlyList<string> AllowedOAuthFlows { get; init; }

    public required IReadOnlyList<string> AllowedOAuthScopes { get; init; }

    public required IReadOnlyList<string> CallbackURLs { get; init; }

    public required IReadOnlyList<string> LogoutURLs { get; init; }

    /// <summary>The JSON text the output holds.</summary>
    public string ToJsonText() => JsonSerializer.Serialize(this, OutputsJsonContext.Default.OAuthMetadata);
}
