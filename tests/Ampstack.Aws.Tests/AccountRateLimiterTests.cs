using Ampstack.Aws.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace Ampstack.Aws.Tests;

public sealed class AccountRateLimiterTests
{
    [Fact]
    public void An_account_over_its_rate_waits_for_a_token_and_others_do_not()
    {
        var time = new FakeTimeProvider();
        var limiter = new AccountRateLimiter(4, time);
        for (var i = 0; i < 4; i++)
        {
            Assert.Null(limiter.TryAcquire("busy"));
        }

        Assert.Equal(TimeSpan.FromSeconds(0.25), limiter.TryAcquire("busy"));
        Assert.Null(limiter.TryAcquire("quiet"));
        time.Advance(TimeSpan.FromSeconds(0.25));
        Assert.Null(limiter.TryAcquire("busy"));
        Assert.NotNull(limiter.TryAcquire("busy"));
    }

    [Fact]
    public void Past_ten_thousand_accounts_a_new_one_drops_the_buckets_that_are_full_again_and_keeps_the_rest()
    {
        var time = new FakeTimeProvider();
        var limiter = new AccountRateLimiter(2, time);
        for (var i = 0; i < 9_999; i++)
        {
            limiter.TryAcquire($"a{i}");
        }

        limiter.TryAcquire("busy");
        limiter.TryAcquire("busy");
        Assert.Equal(10_000, limiter.Accounts);

        // Half a second on, every a{i} is full again; busy has one token of two.
        time.Advance(TimeSpan.FromSeconds(0.5));
        limiter.TryAcquire("a1");
        Assert.Equal(10_000, limiter.Accounts);

        // The first new account past the bound sweeps: what is not full (a1, busy, the new one) stays.
        limiter.TryAcquire("new");
        Assert.Equal(3, limiter.Accounts);
        Assert.Null(limiter.TryAcquire("busy"));
        Assert.NotNull(limiter.TryAcquire("busy"));
    }

    [Fact]
    public async Task Requests_of_one_account_racing_on_every_core_take_exactly_the_tokens_there_are()
    {
        var time = new FakeTimeProvider();
        var limiter = new AccountRateLimiter(100_000, time);
        using var start = new Barrier(8);
        var allowed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var mine = 0;
            for (var i = 0; i < 25_000; i++)
            {
                mine += limiter.TryAcquire("busy") is null ? 1 : 0;
            }

            return mine;
        }, TaskCreationOptions.LongRunning)));
        Assert.Equal(100_000, allowed.Sum());

        // Ten microseconds on, one token is back: one request more, and the next is told to wait as long.
        time.Advance(TimeSpan.FromMicroseconds(10));
        Assert.Null(limiter.TryAcquire("busy"));
        Assert.Equal(TimeSpan.FromMicroseconds(10), limiter.TryAcquire("busy"));
    }
}
