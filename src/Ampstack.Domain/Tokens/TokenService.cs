using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Tokens;

/// <summary>Admin UI login challenges: a one-time code with a session id and an expiry.</summary>
public sealed class TokenService(IBackendStore store, TimeProvider time, TimeSpan lifetime)
{
    public TimeSpan Lifetime => lifetime;

    public Task<TokenRecord> CreateAsync(Partition partition, string appId, CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAppAsync(tx, appId).ConfigureAwait(false);
            var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
            var token = new TokenRecord(partition, appId, Guid.NewGuid().ToString(), EmulatedIds.ChallengeCode(), expires);
            await tx.InsertTokenAsync(token).ConfigureAwait(false);
            return token;
        }, cancellationToken);

    /// <summary>GetToken: the live token; an expired or deleted one is not found.</summary>
    public Task<TokenRecord> GetAsync(Partition partition, string appId, string sessionId, CancellationToken cancellationToken) =>
        store.ReadAsync(partition, tx => RequireLiveAsync(tx, appId, sessionId), cancellationToken);

    public Task DeleteAsync(Partition partition, string appId, string sessionId, CancellationToken cancellationToken) =>
        store.WriteAsync(partition, async tx =>
        {
            await RequireLiveAsync(tx, appId, sessionId).ConfigureAwait(false);
            await tx.DeleteTokenAsync(appId, sessionId).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async ValueTask<TokenRecord> RequireLiveAsync(IStoreTransaction tx, string appId, string sessionId)
    {
        var token = await tx.GetTokenAsync(appId, sessionId).ConfigureAwait(false);
        return token is not null && token.ExpiresAt > time.GetUtcNow().ToUnixTimeSeconds()
            ? token
            : throw DomainException.NotFound(ResourceTypes.Token, $"Session {sessionId} was not found for app {appId}, or it has expired.");
    }
}
