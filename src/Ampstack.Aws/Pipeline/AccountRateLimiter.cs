using System.Collections.Concurrent;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// A token bucket per account: up to <c>rate</c> requests a second, with bursts of one second's worth. A request over
/// the limit is told how long to wait. Rate 0 turns the limit off.
/// </summary>
public sealed class AccountRateLimiter(int requestsPerSecond, TimeProvider time)
{
    /// <summary>Buckets kept before idle ones (full again) are dropped.</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    public int RequestsPerSecond { get; } = requestsPerSecond;

    /// <summary>The accounts a bucket is kept for.</summary>
    internal int Accounts => _buckets.Count;

    /// <summary>Null when the request may go on; else how long until the account has a token again.</summary>
    public TimeSpan? TryAcquire(string accountId)
    {
        if (RequestsPerSecond <= 0)
        {
            return null;
        }

        var now = time.GetTimestamp();
        if (_buckets.TryGetValue(accountId, out var bucket))
        {
            return bucket.Take(RequestsPerSecond, now, time);
        }

        bucket = _buckets.GetOrAdd(accountId, static (_, now) => new Bucket(now), now);
        var wait = bucket.Take(RequestsPerSecond, now, time);
        // Counted only when an account is new: a ConcurrentDictionary's count takes every one of its locks, which was 2%
        // of a GetBackendJob's time when every request asked.
        if (_buckets.Count > SweepAbove)
        {
            Sweep(now);
        }

        return wait;
    }

    private void Sweep(long now)
    {
        foreach (var (account, bucket) in _buckets)
        {
            if (bucket.IsFullAt(now))
            {
                _buckets.TryRemove(account, out _);
            }
        }
    }

    /// <summary>
    /// One account's bucket as the time its tokens would all be back (the generic cell rate algorithm): a request takes a
    /// token by moving that time on by one token's worth, and is refused when that would leave it more than a second (a
    /// full bucket) ahead of now. One number, changed with compare-and-swap: requests of one account on several cores no
    /// longer queue on a lock (which was 8% of a GetBackendJob's time in the server's own code).
    /// </summary>
    private sealed class Bucket(long now)
    {
        /// <summary>When the bucket is full again, in <see cref="TimeProvider"/> timestamps; never before it was made.</summary>
        private long _fullAt = now;

        public TimeSpan? Take(int rate, long now, TimeProvider time)
        {
            var perToken = time.TimestampFrequency / (double)rate;
            var capacity = time.TimestampFrequency;
            while (true)
            {
                var fullAt = Volatile.Read(ref _fullAt);
                var next = Math.Max(fullAt, now) + (long)Math.Round(perToken);
                if (next - now > capacity)
                {
                    return TimeSpan.FromSeconds((next - now - capacity) / (double)time.TimestampFrequency);
                }

                if (Interlocked.CompareExchange(ref _fullAt, next, fullAt) == fullAt)
                {
                    return null;
                }
            }
        }

        public bool IsFullAt(long now) => Volatile.Read(ref _fullAt) <= now;
    }
}
