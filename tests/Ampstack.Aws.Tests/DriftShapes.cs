using System.Text.Json.Serialization;

namespace Ampstack.Aws.Tests.Drift;

// Shapes as a hand edit or a stale generation would leave them: one member too many, two too few.

public sealed class DeleteTokenResponse
{
    public bool? IsSuccess { get; init; }

    public bool? Revoked { get; init; }
}

public sealed class GetTokenResponse
{
    public string? AppId { get; init; }

    public string? ChallengeCode { get; init; }
}

[JsonSerializable(typeof(DeleteTokenResponse))]
[JsonSerializable(typeof(GetTokenResponse))]
internal sealed partial class DriftContext : JsonSerializerContext;
