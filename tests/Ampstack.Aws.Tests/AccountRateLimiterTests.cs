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
}
