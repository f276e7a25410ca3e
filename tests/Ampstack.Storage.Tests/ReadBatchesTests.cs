using System.Diagnostics;
using Ampstack.Storage.Postgres;

namespace Ampstack.Storage.Tests;

/// <summary>
/// How <see cref="ReadBatches{TKey,TValue}"/> gathers concurrent reads, with a read that the test answers by hand: which
/// keys each read is given, and which calls each answers.
/// </summary>
public sealed class ReadBatchesTests
{
    /// <summary>The reads made, each with its keys and the answer the test gives it.</summary>
    private readonly List<(IReadOnlyList<string> Keys, TaskCompletionSource<int[]> Answer)> _reads = [];
    private readonly List<long> _since = [];
    private readonly Lock _gate = new();

    private ReadBatches<string, int> Batches() => new((keys, since) =>
    {
        var answer = new TaskCompletionSource<int[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _reads.Add(([.. keys], answer));
            _since.Add(since);
        }

        return answer.Task;
    });

    private (IReadOnlyList<string> Keys, TaskCompletionSource<int[]> Answer) Read(int index)
    {
        lock (_gate)
        {
            return _reads[index];
        }
    }

    private int Reads
    {
        get
        {
            lock (_gate)
            {
                return _reads.Count;
            }
        }
    }

    [Fact]
    public async Task A_call_made_while_a_read_is_under_way_is_answered_by_the_next_read_never_by_that_one()
    {
        var batches = Batches();
        var first = batches.ReadAsync("app", default);
        Assert.Equal(["app"], Read(0).Keys);

        // Made while the first read is out: it must not take that read's answer, which may be older than the call.
        var second = batches.ReadAsync("app", default);
        Assert.Equal(1, Reads);
        Read(0).Answer.SetResult([1]);
        Assert.Equal(1, await first);
        Assert.False(second.IsCompleted);

        Assert.Equal(2, Reads);
        Assert.Equal(["app"], Read(1).Keys);
        Read(1).Answer.SetResult([2]);
        Assert.Equal(2, await second);
    }

    [Fact]
    public async Task The_calls_made_while_a_read_is_under_way_share_the_next_read_each_key_once_in_the_order_asked()
    {
        var batches = Batches();
        var first = batches.ReadAsync("a", default);
        var waiting = new[] { "b", "c", "b", "a", "c" }.Select(key => batches.ReadAsync(key, default)).ToList();
        Read(0).Answer.SetResult([10]);
        await first;

        Assert.Equal(["b", "c", "a"], Read(1).Keys);
        Read(1).Answer.SetResult([20, 30, 11]);
        var answered = await Task.WhenAll(waiting);
        Assert.Equal([20, 30, 20, 11, 30], answered);
        Assert.Equal(2, Reads);

        // Nothing is being read now: the next call is read at once, alone.
        var alone = batches.ReadAsync("d", default);
        Assert.Equal(["d"], Read(2).Keys);
        Read(2).Answer.SetResult([40]);
        Assert.Equal(40, await alone);
    }

    /// <summary>The read made <paramref name="index"/>th, once it is: after a failed read the next starts on the thread pool.</summary>
    private async Task<(IReadOnlyList<string> Keys, TaskCompletionSource<int[]> Answer)> ReadMadeAsync(int index)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Reads <= index)
        {
            await Task.Delay(1, timeout.Token);
        }

        return Read(index);
    }

    [Fact]
    public async Task A_read_is_told_when_its_first_call_was_made_not_when_it_starts()
    {
        var batches = Batches();
        var first = batches.ReadAsync("a", default);
        var beforeSecond = Stopwatch.GetTimestamp();
        var second = batches.ReadAsync("b", default);
        var afterSecond = Stopwatch.GetTimestamp();
        _ = batches.ReadAsync("c", default);
        Read(0).Answer.SetResult([1]);
        await first;

        // The deadline of the read that answers "b" counts from when "b" asked (it waited for the read before).
        var since = await SinceAsync(1);
        Assert.InRange(since, beforeSecond, afterSecond);
        Read(1).Answer.SetResult([2, 3]);
        Assert.Equal(2, await second);
    }

    private async Task<long> SinceAsync(int index)
    {
        await ReadMadeAsync(index);
        lock (_gate)
        {
            return _since[index];
        }
    }

    [Fact]
    public async Task A_failed_read_fails_its_own_calls_and_the_next_read_still_runs()
    {
        var batches = Batches();
        var first = batches.ReadAsync("a", default);
        var second = batches.ReadAsync("b", default);
        Read(0).Answer.SetException(new TimeoutException("silent"));
        Assert.Equal("silent", (await Assert.ThrowsAsync<TimeoutException>(() => first)).Message);

        var next = await ReadMadeAsync(1);
        Assert.Equal(["b"], next.Keys);
        next.Answer.SetResult([2]);
        Assert.Equal(2, await second);
    }

    [Fact]
    public async Task A_read_answering_the_wrong_number_of_values_fails_its_calls()
    {
        var batches = Batches();
        var call = batches.ReadAsync("a", default);
        Read(0).Answer.SetResult([1, 2]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => call);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_leaves_the_others_of_its_read_answered()
    {
        var batches = Batches();
        var first = batches.ReadAsync("a", default);
        using var cancel = new CancellationTokenSource();
        var abandoned = batches.ReadAsync("b", cancel.Token);
        var kept = batches.ReadAsync("b", default);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        Read(0).Answer.SetResult([1]);
        await first;
        Assert.Equal(["b"], Read(1).Keys);
        Read(1).Answer.SetResult([2]);
        Assert.Equal(2, await kept);
    }
}
