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

        bucket = _buckets.GetOrAdd(accountId, static (_, state) => new Bucket(state.Rate, state.Now),
            (Rate: RequestsPerSecond, Now: now));
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
            if (bucket.IsFullAt(RequestsPerSecond, now, time))
            {
                _buckets.TryRemove(account, out _);
            }
        }
    }

    private sealed class Bucket(double tokens, long updated)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _updated = updated;

        public TimeSpan? Take(int rate, long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(rate, now, time);
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    return null;
                }

                return TimeSpan.FromSeconds((1 - _tokens) / rate);
            }
        }

        public bool IsFullAt(int rate, long now, TimeProvider time)
        {
            lock (_lock)
            {
                Refill(rate, now, time);
                return _tokens >= rate;
            }
        }

        private void Refill(int rate, long now, TimeProvider time)
        {
            if (now > _updated)
            {
                _tokens = Math.Min(rate, _tokens + (time.GetElapsedTime(_updated, now).TotalSeconds * rate));
                _updated = now;
            }
        }
    }
}
