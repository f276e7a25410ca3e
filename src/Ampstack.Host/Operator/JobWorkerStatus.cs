namespace Ampstack.Host.Operator;

/// <summary>What the job worker is doing, for <c>GET /_ampstack/health</c>: written by the worker, read by the health route.</summary>
public sealed class JobWorkerStatus
{
    private long _lastPassAt;
    private int _failures;
    private int _state = (int)JobWorkerState.Starting;
    private TaskCompletionSource _nextPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When the last pass over due jobs ended well (Unix milliseconds), 0 before the first.</summary>
    public long LastPassAt => Volatile.Read(ref _lastPassAt);

    /// <summary>Failed passes in a row (the store refusing writes); 0 when the last pass worked.</summary>
    public int Failures => Volatile.Read(ref _failures);

    public JobWorkerState State => (JobWorkerState)Volatile.Read(ref _state);

    /// <summary>
    /// Completes when the next pass over due jobs ends well: take it before looking at what a pass changes, then wait on
    /// it, and no pass can slip between the look and the wait.
    /// </summary>
    public Task NextPassAsync() => Volatile.Read(ref _nextPass).Task;

    internal void Passed(DateTimeOffset at)
    {
        Volatile.Write(ref _lastPassAt, at.ToUnixTimeMilliseconds());
        Volatile.Write(ref _failures, 0);
        Volatile.Write(ref _state, (int)JobWorkerState.Running);
        Interlocked.Exchange(ref _nextPass, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    internal void Failed(int failures)
    {
        Volatile.Write(ref _failures, failures);
        Volatile.Write(ref _state, (int)JobWorkerState.BackingOff);
    }

    internal void Stopped() => Volatile.Write(ref _state, (int)JobWorkerState.Stopped);
}

public enum JobWorkerState
{
    Starting,
    Running,
    BackingOff,
    Stopped,
}
