using System.Diagnostics;

namespace Ampstack.Storage.Postgres;

/// <summary>
/// Reads of single keys that concurrent callers ask for, gathered into one read of many keys: at most one batch is being
/// read at a time, and the calls that come meanwhile wait for the next, which starts when it ends, with all of them
/// (each key once). So every call is answered by a read that began after the call did, never by one already under way:
/// what it sees is at least as new as anything written before it was made, as a read of its own would be. A call that comes
/// while nothing is being read is read at once, alone; calls that come together share one round trip instead of one each.
/// </summary>
/// <remarks>
/// A failed read fails every call of its batch with its exception. A caller that stops waiting (its cancellation) leaves
/// its key in the batch. Answers go to their callers on the thread pool, not on the thread that read them, so a batch's
/// callers go on side by side.
/// </remarks>
/// <param name="read">Reads the keys, answering one value for each, in their order; given when the batch's first call was
/// made (<see cref="Stopwatch.GetTimestamp"/>), so that it can answer every call within a deadline counted from the
/// call: the batch's calls have waited for the read before it.</param>
internal sealed class ReadBatches<TKey, TValue>(Func<IReadOnlyList<TKey>, long, Task<TValue[]>> read)
    where TKey : notnull
{
    private readonly Lock _gate = new();

    /// <summary>The batch the calls that come now join; null until one does.</summary>
    private Batch? _gathering;

    /// <summary>
    /// A batch is being read. One at a time: with two or four at once (smaller batches, more round trips) a PostgreSQL
    /// node answered GetBackendJob at 16k and 9-10k req/s where one gave 18-20k (32 clients, 2 cores).
    /// </summary>
    private bool _reading;

    public Task<TValue> ReadAsync(TKey key, CancellationToken cancellationToken)
    {
        Batch? start = null;
        Task<TValue> answer;
        lock (_gate)
        {
            _gathering ??= new Batch();
            answer = _gathering.Add(key);
            if (!_reading)
            {
                (_reading, start, _gathering) = (true, _gathering, null);
            }
        }

        if (start is not null)
        {
            _ = ReadAllAsync(start);
        }

        return cancellationToken.CanBeCanceled ? answer.WaitAsync(cancellationToken) : answer;
    }

    /// <summary>
    /// Reads <paramref name="batch"/>, then starts the read of the batch gathered meanwhile, if any, before it answers this
    /// one's calls: the next round trip is under way while they go on.
    /// </summary>
    private async Task ReadAllAsync(Batch batch)
    {
        TValue[]? values = null;
        Exception? error = null;
        try
        {
            values = await read(batch.Keys, batch.Since).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Batch? next;
        lock (_gate)
        {
            (next, _gathering) = (_gathering, null);
            if (next is null)
            {
                _reading = false;
            }
        }

        if (next is not null)
        {
            // A read that failed at once (a store being disposed) may not have left the caller's stack: the next one
            // starts from the thread pool's, so that failures in a row never pile up on one stack.
            _ = error is null ? ReadAllAsync(next) : Task.Run(() => ReadAllAsync(next));
        }

        if (values is not null)
        {
            batch.Answer(values);
        }
        else
        {
            batch.Fail(error!);
        }
    }

    private sealed class Batch
    {
        private readonly Dictionary<TKey, TaskCompletionSource<TValue>> _calls = [];
        private readonly List<TKey> _keys = [];

        public IReadOnlyList<TKey> Keys => _keys;

        /// <summary>When the first call was made: the batch is made with it.</summary>
        public long Since { get; } = Stopwatch.GetTimestamp();

        public Task<TValue> Add(TKey key)
        {
            if (!_calls.TryGetValue(key, out var call))
            {
                call = new TaskCompletionSource<TValue>(TaskCreationOptions.RunContinuationsAsynchronously);
                _calls.Add(key, call);
                _keys.Add(key);
            }

            return call.Task;
        }

        public void Answer(TValue[] values)
        {
            if (values.Length != _keys.Count)
            {
                Fail(new InvalidOperationException($"A read of {_keys.Count} keys answered {values.Length} values."));
                return;
            }

            for (var i = 0; i < _keys.Count; i++)
            {
                _calls[_keys[i]].SetResult(values[i]);
            }
        }

        public void Fail(Exception error)
        {
            foreach (var call in _calls.Values)
            {
                call.TrySetException(error);
            }
        }
    }
}
