using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Provisioning;

/// <summary>
/// Runs the jobs that provision, off the worker's pass: at most <see cref="MaxConcurrent"/> at once, each on its own task,
/// so that a slow or unreachable endpoint holds up neither the worker's other jobs nor any request. While it works on a
/// job it renews the job's lease, so no other node takes the job over; if this node dies, the lease runs out and another
/// node (or this one restarted) runs the job again, and the provisioner finds what the first run made. The job ends in
/// one transaction with the resource's real outputs and its <see cref="ProvisioningNote"/> (COMPLETED) or the endpoint's
/// error (FAILED); a failed create or
/// import also drops the resource's record, as nothing stands behind it.
/// </summary>
public sealed class ProvisioningJobs : IAsyncDisposable
{
    private readonly IBackendStore _store;
    private readonly IProvisioner _provisioner;
    private readonly TimeProvider _time;
    private readonly JobLeases _leases;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<string, Task> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private long _skippedSteps;
    private long _finished;

    public ProvisioningJobs(IBackendStore store, IProvisioner provisioner, TimeProvider time, JobLeases leases, int maxConcurrent = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrent, 1);
        _store = store;
        _provisioner = provisioner;
        _time = time;
        _leases = leases;
        MaxConcurrent = maxConcurrent;
        _slots = new SemaphoreSlim(maxConcurrent, maxConcurrent);
    }

    public int MaxConcurrent { get; }

    public IProvisioner Provisioner => _provisioner;

    /// <summary>Steps the endpoint did not implement and that were skipped, since start.</summary>
    public long SkippedSteps => Interlocked.Read(ref _skippedSteps);

    /// <summary>Provisioning jobs ended (either way) since start.</summary>
    public long Finished => Interlocked.Read(ref _finished);

    /// <summary>Jobs provisioning now.</summary>
    public int Running => _running.Count;

    /// <summary>Called when a slot frees up or a job ends: the worker's wake-up (its <see cref="JobSchedule"/>).</summary>
    public Action? SlotFreed { get; set; }

    /// <summary>The work to attach to a job: <paramref name="work"/> as given when its kind is provisioned, else without it.</summary>
    public JobWork Attach(JobWork work) =>
        work.Provision is { } provision ? work with { Provision = provision.Where(_provisioner.Handles) } : work;

    /// <summary>
    /// Takes a claimed job: true when it runs it (or already does); false when every slot is taken, and the job is left
    /// for a later pass.
    /// </summary>
    public bool TryRun(JobRecord job)
    {
        if (_running.ContainsKey(job.JobId))
        {
            return true;
        }

        if (!_slots.Wait(0))
        {
            return false;
        }

        var started = new TaskCompletionSource();
        if (!_running.TryAdd(job.JobId, started.Task))
        {
            _slots.Release();
            return true;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await RunAsync(job, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or StoreUnavailableException)
            {
                // Left RUNNING: its lease runs out and a later pass (here or on another node) runs it again.
            }
            finally
            {
                _running.TryRemove(job.JobId, out _);
                _slots.Release();
                started.TrySetResult();
                SlotFreed?.Invoke();
            }
        });
        return true;
    }

    /// <summary>Whether this node is running <paramref name="jobId"/> now.</summary>
    public bool IsRunning(string jobId) => _running.ContainsKey(jobId);

    private async Task RunAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var work = job.Work.Provision!;
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewLeaseAsync(job, renewing.Token);
        ProvisionOutcome outcome;
        try
        {
            outcome = work.Action == ProvisionAction.Clone
                ? await CloneAsync(job, work, cancellationToken).ConfigureAwait(false)
                : await ProvisionOneAsync(job, work, EnvironmentOf(job, work), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await renewing.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }

        Interlocked.Add(ref _skippedSteps, outcome.Skipped.Count);
        await _store.WriteAsync(job.Partition, tx => work.Action == ProvisionAction.Clone
            ? EndCloneAsync(tx, job, work, outcome)
            : EndAsync(tx, job, work, outcome), cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _finished);
    }

    /// <summary>
    /// One piece of work on <paramref name="environment"/>: the resource (or the environment's root stack) read as stored
    /// now and handed to the provisioner; an unexpected exception is a failed outcome.
    /// </summary>
    private async Task<ProvisionOutcome> ProvisionOneAsync(JobRecord job, ProvisionWork work, string environment,
        CancellationToken cancellationToken)
    {
        try
        {
            var (resource, rootStack) = await _store.ReadAsync(job.Partition, async tx =>
            {
                var stored = await tx.GetEnvironmentAsync(job.AppId, environment).ConfigureAwait(false);
                var resource = work.KeepsResource && work.OnResource
                    ? await tx.GetResourceAsync(job.AppId, environment, work.Kind, work.Name).ConfigureAwait(false)
                    : null;
                return (resource, stored?.Provider);
            }, cancellationToken).ConfigureAwait(false);
            if (work.KeepsResource && (work.OnResource ? resource is null : rootStack is null))
            {
                return ProvisionOutcome.Done(null); // removed meanwhile (UpdateBackendJob, a reset): nothing to make
            }

            var task = new ProvisionTask(job.Partition, job.AppId, environment, job.JobId, work, resource, rootStack);
            return await _provisioner.ProvisionAsync(task, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or StoreUnavailableException or OutOfMemoryException))
        {
            return ProvisionOutcome.Failed($"Provisioning failed unexpectedly ({ex.GetType().Name}): {ex.Message}");
        }
    }

    /// <summary>
    /// CloneBackend's work: each part in order (the target's roles, then each copied resource), each one's real outputs
    /// stored on the target as soon as it is made, so that the next part sees them (the identity pool, the roles) and the
    /// records name what exists. A run repeated after a crash goes through the parts again and the provisioner finds what
    /// the first run made. When a part fails, what the earlier parts made is removed (newest first) and the clone fails
    /// naming the part (and what could not be removed); <see cref="EndCloneAsync"/> then removes the target environment.
    /// </summary>
    private async Task<ProvisionOutcome> CloneAsync(JobRecord job, ProvisionWork work, CancellationToken cancellationToken)
    {
        var skipped = new List<string>();
        var made = new List<(ProvisionWork Part, string Environment, JsonObject Outputs)>();
        foreach (var part in work.Parts ?? [])
        {
            var environment = part.Environment ?? work.Environment ?? job.Environment;
            var outcome = await ProvisionOneAsync(job, part, environment, cancellationToken).ConfigureAwait(false);
            skipped.AddRange(outcome.Skipped);
            if (outcome.Error is { } error)
            {
                var left = new List<string>();
                for (var i = made.Count - 1; i >= 0; i--)
                {
                    var (done, where, outputs) = made[i];
                    var removal = new ProvisionWork(ProvisionAction.Delete, done.Kind, done.Name, outputs, Environment: where);
                    var removed = await ProvisionOneAsync(job, removal, where, cancellationToken).ConfigureAwait(false);
                    skipped.AddRange(removed.Skipped);
                    if (removed.Error is { } notRemoved)
                    {
                        left.Add($"{done.Kind.ToStored()} {done.Name} ({notRemoved})");
                    }
                }

                return ProvisionOutcome.Failed($"{part.Kind.ToStored()} {part.Name}: {error}"
                    + (left.Count > 0 ? $"; left on the endpoint, not removed: {string.Join("; ", left)}" : ""), skipped);
            }

            // A copied resource keeps the same note as one made by its own job: where, and what was skipped.
            var note = ProvisioningNote.Make(_provisioner.Where, outcome.Skipped);
            var kept = await _store.WriteAsync(job.Partition,
                tx => KeepOutputsAsync(tx, job.AppId, environment, part, outcome.Outputs, note), cancellationToken).ConfigureAwait(false);
            if (kept is not null)
            {
                made.Add((part, environment, kept));
            }
        }

        return ProvisionOutcome.Done(null, skipped);
    }

    /// <summary>
    /// Stores what a clone's part made on the target (the roles on its provider, a resource's outputs on its record) and
    /// returns the outputs that name it (to remove it, should a later part fail); null when the target or the record is gone.
    /// </summary>
    private static async ValueTask<JsonObject?> KeepOutputsAsync(IStoreTransaction tx, string appId, string environment,
        ProvisionWork part, JsonObject? outputs, JsonObject note)
    {
        if (!part.OnResource)
        {
            if (outputs is null)
            {
                return (await tx.GetEnvironmentAsync(appId, environment).ConfigureAwait(false))?.Provider;
            }

            return await tx.UpdateEnvironmentProviderAsync(appId, environment, outputs).ConfigureAwait(false) ? outputs : null;
        }

        var resource = await tx.GetResourceAsync(appId, environment, part.Kind, part.Name).ConfigureAwait(false);
        if (resource is null)
        {
            return null;
        }

        // The real outputs (or those there, when the part changed none), with the note.
        var noted = ProvisioningNote.With(outputs ?? resource.Outputs, note);
        await tx.PutResourceAsync(resource with { Outputs = noted }).ConfigureAwait(false);
        return noted;
    }

    /// <summary>
    /// Ends a clone: COMPLETED with every part's outputs already stored; FAILED with the endpoint's reason, and the target
    /// environment removed (with its copies), as nothing made for it is left on the endpoint.
    /// </summary>
    private async ValueTask<JobRecord> EndCloneAsync(IStoreTransaction tx, JobRecord job, ProvisionWork work, ProvisionOutcome outcome)
    {
        var current = await tx.GetJobAsync(job.AppId, job.JobId).ConfigureAwait(false) ?? job;
        if (JobStatus.IsTerminal(current.Status))
        {
            return current; // ended by UpdateBackendJob meanwhile
        }

        if (outcome.Error is not null && work.Environment is { } target
            && await tx.GetEnvironmentAsync(job.AppId, target).ConfigureAwait(false) is not null)
        {
            await tx.DeleteEnvironmentAsync(job.AppId, target).ConfigureAwait(false);
        }

        var ended = current.Ended(outcome.Error, _time.GetUtcNow().ToUnixTimeMilliseconds());
        await tx.UpdateJobAsync(ended).ConfigureAwait(false);
        return ended;
    }

    private async ValueTask<JobRecord> EndAsync(IStoreTransaction tx, JobRecord job, ProvisionWork work, ProvisionOutcome outcome)
    {
        var current = await tx.GetJobAsync(job.AppId, job.JobId).ConfigureAwait(false) ?? job;
        if (JobStatus.IsTerminal(current.Status))
        {
            return current; // ended by UpdateBackendJob meanwhile
        }

        if (!work.OnResource && work.KeepsResource && outcome.Error is null && outcome.Outputs is { } provider)
        {
            await tx.UpdateEnvironmentProviderAsync(job.AppId, EnvironmentOf(job, work), provider).ConfigureAwait(false);
        }

        var resource = work.KeepsResource && work.OnResource
            ? await tx.GetResourceAsync(job.AppId, job.Environment, work.Kind, work.Name).ConfigureAwait(false)
            : null;
        if (resource is not null && outcome.Error is null)
        {
            // The real outputs (or those there), with the note of where and what was skipped, for the console to show.
            var note = ProvisioningNote.Make(_provisioner.Where, outcome.Skipped);
            var outputs = ProvisioningNote.With(outcome.Outputs ?? resource.Outputs, note);
            await tx.PutResourceAsync(resource with { Outputs = outputs }).ConfigureAwait(false);
        }
        else if (resource is not null && outcome.Error is not null && work.Action is ProvisionAction.Create or ProvisionAction.Import)
        {
            await tx.DeleteResourceAsync(job.AppId, job.Environment, work.Kind, work.Name).ConfigureAwait(false);
        }

        var ended = current.Ended(outcome.Error, _time.GetUtcNow().ToUnixTimeMilliseconds());
        await tx.UpdateJobAsync(ended).ConfigureAwait(false);
        return ended;
    }

    /// <summary>The environment the work is on: root work names it (CloneBackend's job is on the source, its roles the
    /// target's).</summary>
    private static string EnvironmentOf(JobRecord job, ProvisionWork work) =>
        !work.OnResource && work.Environment is { } environment ? environment : job.Environment;

    /// <summary>Keeps this node's lease on the job while it works (a third of the lease's length apart).</summary>
    private async Task RenewLeaseAsync(JobRecord job, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, _leases.Duration.Ticks / 3));
        try
        {
            while (true)
            {
                await Task.Delay(every, _time, cancellationToken).ConfigureAwait(false);
                await _store.WriteAsync(job.Partition, async tx =>
                {
                    var current = await tx.GetJobAsync(job.AppId, job.JobId).ConfigureAwait(false);
                    if (current is { Status: JobStatus.Running })
                    {
                        var until = _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)_leases.Duration.TotalMilliseconds;
                        await tx.UpdateJobAsync(current with { Lease = new JobLease(_leases.Owner, until) }).ConfigureAwait(false);
                    }

                    return true;
                }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (StoreUnavailableException)
        {
            // The lease lapses; the job may be taken over, which the provisioner's idempotence allows for.
        }
    }

    /// <summary>Stops the running jobs (they stay RUNNING, to be run again after the restart) and waits for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running.Values).ConfigureAwait(false);
        _stopping.Dispose();
        _slots.Dispose();
    }
}
