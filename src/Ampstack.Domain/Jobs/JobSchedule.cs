namespace Ampstack.Domain.Jobs;

/// <summary>
/// When this node's worker next has work of its own: the due times of the delayed jobs this node accepted (it holds their
/// leases, so no other node finishes them while it lives), and a signal when one is added. The worker sleeps until the
/// earliest, or until a new one comes, instead of polling the store on a timer.
/// </summary>
public sealed class JobSchedule
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<long, long> _due = new();
    private TaskCompletionSource _added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a due time is added after this was read: read it before a pass, wait on it after.</summary>
    public Task Added
    {
        get
        {
            lock (_gate)
            {
                return _added.Task;
            }
        }
    }

    /// <summary>A job this node accepted is due at <paramref name="dueAt"/> (epoch milliseconds).</summary>
    public void Add(long dueAt)
    {
        TaskCompletionSource added;
        lock (_gate)
        {
            _due.Enqueue(dueAt, dueAt);
            added = _added;
            _added = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.SetResult();
    }

    /// <summary>
    /// Forgets the due times up to <paramref name="passedAt"/> (a pass that began then has claimed their jobs) and returns
    /// the earliest left, or null.
    /// </summary>
    public long? Next(long passedAt)
    {
        lock (_gate)
        {
            while (_due.TryPeek(out _, out var due) && due <= passedAt)
            {
                _due.Dequeue();
            }

            return _due.TryPeek(out _, out var next) ? next : null;
        }
    }
}
