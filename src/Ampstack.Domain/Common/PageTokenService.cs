using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Common;

/// <summary>
/// The signer of <c>nextToken</c>s for every list that pages (ListBackendJobs, ListS3Buckets). Its secret lives in the
/// store, so every node sharing the store accepts the others' tokens. <see cref="PrepareAsync"/> makes the secret at
/// start; from then on a list only ever reads it, and keeps working when the store cannot take writes.
/// </summary>
public sealed class PageTokenService(IBackendStore store)
{
    private const string SecretName = "page-token";
    private PageTokens? _tokens;

    /// <summary>The signer, its secret read once (and made, the first time a store is used without preparing).</summary>
    public async ValueTask<PageTokens> GetAsync(CancellationToken cancellationToken)
    {
        if (_tokens is { } tokens)
        {
            return tokens;
        }

        var secret = await store.GetSecretAsync(SecretName, cancellationToken).ConfigureAwait(false)
            ?? await store.GetOrCreateSecretAsync(SecretName, cancellationToken).ConfigureAwait(false);
        return _tokens = new PageTokens(secret);
    }

    /// <summary>Makes the secret now, so that no later read has to write. Run at start.</summary>
    public async Task PrepareAsync(CancellationToken cancellationToken) => await GetAsync(cancellationToken).ConfigureAwait(false);
}
