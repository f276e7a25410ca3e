using System.Text.Json.Serialization;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>An API output's <c>authConfig</c>: its default and additional authentication types (amplify-meta's camelCase names).</summary>
public sealed record ApiAuthConfig
{
    [JsonPropertyName("defaultAuthentication")]
    public required ApiAuthProvider DefaultAuthentication { get; init; }

    [JsonPropertyName("additionalAuthenticationProviders")]
    public required IReadOnlyList<ApiAuthProvider> AdditionalAuthenticationProviders { get; init; }
}
