using Ampstack.Domain.Common;

namespace Ampstack.Domain.Tokens;

/// <summary>An Admin UI login challenge.</summary>
/// <param name="Partition">The owning (account, region).</param>
/// <param name="AppId">The app.</param>
/// <param name="SessionId">The session id handed to the client.</param>
/// <param name="ChallengeCode">The one-time code.</param>
/// <param name="ExpiresAt">Expiry, epoch seconds.</param>
public sealed record TokenRecord(Partition Partition, string AppId, string SessionId, string ChallengeCode, long ExpiresAt);
