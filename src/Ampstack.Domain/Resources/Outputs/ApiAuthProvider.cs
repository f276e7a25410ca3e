using System.Text.Json.Serialization;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>One authentication type of an API output's <c>authConfig</c>.</summary>
public sealed record ApiAuthProvider
{
    [JsonPropertyName("authenticationType")]
    public required string AuthenticationType { get; init; }
}
