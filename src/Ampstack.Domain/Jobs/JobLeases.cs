namespace Ampstack.Domain.Jobs;

/// <summary>
/// Which node is working on a RUNNING job, and until when. A node holds a lease on every job it accepts (until the job
/// is due, plus <see cref="JobLeases.Duration"/>) and on every job it claims; while the lease lasts no other node takes the
/// job. A node that dies keeps its leases until they expire, and then any node claims the jobs and finishes them.
/// </summary>
/// <param name="Owner">The node holding it (<see cref="JobLeases.Owner"/>).</param>
/// <param name="Until">When it expires (epoch milliseconds).</param>
public sealed record JobLease(string Owner, long Until);

/// <summary>This node's name on the leases it takes, and how long they last.</summary>
/// <param name="Owner">Unique to this process: the machine, the process id and a random part.</param>
/// <param name="Duration">How long a lease lasts past the time its job is due.</param>
public sealed record JobLeases(string Owner, TimeSpan Duration)
{
    /// <summary>The default lease: long enough for the slowest job (model generation of a large schema), short enough that a
    /// crashed node's jobs are finished soon after.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    public static JobLeases ForThisProcess(TimeSpan duration) =>
        new($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}", duration);

    /// <summary>
    /// When a job this node accepts at <paramref name="now"/> becomes due to the workers, and the lease this node holds on
    /// it meanwhile. A delayed job runs on this node for its delay: leased until it is due plus <see cref="Duration"/>, so
    /// this node's worker finishes it when it is due, and another node only if this one died. An immediate job is finished
    /// by this node before it answers, so no worker (this node's included) is to take it until its lease has run out: a
    /// worker finishes it only when this node died first, or finishing failed (a full disk). A manual job is nobody's.
    /// </summary>
    public (long? DueAt, JobLease? Lease) ForAccepted(JobProgression progression, long now)
    {
        var lease = (long)Duration.TotalMilliseconds;
        return progression.Mode switch
        {
            JobProgressionMode.Immediate => (now + lease, new JobLease(Owner, now + lease)),
            _ when progression.DueAt(now) is { } due => (due, new JobLease(Owner, due + lease)),
            _ => (null, null),
        };
    }
}

/// <summary>
/// A claim on due jobs (<see cref="Storage.IBackendStore.ClaimDueJobsAsync"/>): up to <paramref name="Limit"/> RUNNING jobs
/// due by <paramref name="Now"/> whose lease is expired, absent, or <paramref name="Owner"/>'s own, each then leased to
/// <paramref name="Owner"/> until <paramref name="LeaseUntil"/>.
/// </summary>
public sealed record JobClaim(string Owner, long Now, long LeaseUntil, int Limit);
