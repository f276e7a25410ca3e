using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Ampstack.Domain.Resources.Outputs;

/// <summary>
/// An AppSync API's outputs (amplify-meta.json's <c>output</c>, the nested stack's outputs). Property names are
/// amplify-meta's keys (its one camelCase member named as such); stored in this member order, absent members left out.
/// </summary>
public sealed record ApiOutputs
{
    [JsonPropertyName("authConfig")]
    public ApiAuthConfig? AuthConfig { get; init; }

    public string? GraphQLAPIIdOutput { get; init; }

    public string? GraphQLAPIEndpointOutput { get; init; }

    public string? GraphQLAPIKeyOutput { get; init; }

    public JsonObject ToDocument() => OutputDocuments.Write(this, OutputsJsonContext.Default.ApiOutputs);

    public static ApiOutputs From(JsonObject document) => OutputDocuments.Read(document, OutputsJsonContext.Default.ApiOutputs);
}
