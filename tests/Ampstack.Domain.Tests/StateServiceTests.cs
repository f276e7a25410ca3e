using System.Text.Json;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.State;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

/// <summary>Snapshots and resets through <see cref="StateService"/>: a state exported from one store imports into another.</summary>
public abstract class StateServiceTests(TestStoreKind kind) : IDisposable
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(5);

    private readonly DomainFixture _f = new(kind);

    // The other kind of store: a snapshot does not depend on the store it came from.
    private readonly DomainFixture _g = new(kind == TestStoreKind.Sqlite ? TestStoreKind.Postgres : TestStoreKind.Sqlite);

    public void Dispose()
    {
        _f.Dispose();
        _g.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An app with auth, an API with generated models, storage, a token, and a job RUNNING for <see cref="Delay"/>.</summary>
    private async Task<JobRecord> BuildStateAsync()
    {
        await _f.CreateBackendAsync();
        await _f.Resources.CreateAuthAsync(P, "app", "dev", "auth", AuthConfig(), default);
        await _f.Resources.CreateApiAsync(P, "app", "dev", "api", ApiConfig("type Todo @model { id: ID! }"), default);
        await _f.Resources.GenerateModelsAsync(P, "app", "dev", "api", default);
        await _f.Resources.ImportStorageAsync(P, "app", "dev", "photos-bucket", new() { ["ServiceName"] = "S3" }, default);
        await _f.Tokens.CreateAsync(P, "app", default);
        await _f.CreateBackendAsync("other", "dev", P with { AccountId = "111111111111" });
        var delayed = new JobService(_f.Store, _f.Schemas, _f.Time, JobProgression.Parse($"delay:{Delay.TotalSeconds}s"), _f.PageTokens,
            _f.Leases);
        return await new BackendService(_f.Store, delayed).CreateBackendAsync(P, "app", "app name", "staging", default);
    }

    /// <summary>Every read of the state, as JSON text: what the service would answer.</summary>
    private static async Task<string> ReadEverythingAsync(DomainFixture f, string sessionId)
    {
        var reads = new List<object?>();
        foreach (var environment in new[] { "dev", "staging" })
        {
            reads.Add(await f.Backends.GetBackendAsync(P, "app", environment, default));
            reads.Add((await f.Jobs.ListAsync(P, "app", environment, new JobFilter(null, null, null), null, null, default)).Jobs);
        }

        reads.Add(await f.Resources.GetAsync(P, "app", "dev", ResourceKind.Auth, "auth", default));
        reads.Add(await f.Resources.GetModelsAsync(P, "app", "dev", "api", default));
        reads.Add((await f.Resources.ListBucketsAsync(P, null, default)).Buckets);
        reads.Add(await f.Tokens.GetAsync(P, "app", sessionId, default));
        reads.Add(await f.Backends.GetBackendAsync(P with { AccountId = "111111111111" }, "other", "dev", default));
        return JsonSerializer.Serialize(reads);
    }

    [Fact]
    public async Task An_export_imported_into_an_empty_store_answers_every_read_alike_and_finishes_its_jobs_in_flight()
    {
        var inFlight = await BuildStateAsync();
        var sessionId = (await _f.Admin.ExportAsync(P.AccountId, default)).Tokens.Single().SessionId;
        var before = await ReadEverythingAsync(_f, sessionId);

        var snapshot = await new StateService(_f.Admin).ExportAsync(null, default);
        await new StateService(_g.Admin).ImportAsync(snapshot, default);
        Assert.Equal(before, await ReadEverythingAsync(_g, sessionId));

        // The job runs out its delay on the new store, whose nodes take it up without waiting for the old node's lease.
        var node = new JobService(_g.Store, _g.Schemas, _g.Time, JobProgression.Immediate, _g.PageTokens,
            new JobLeases("another node", TimeSpan.FromSeconds(10)));
        Assert.Equal(0, await node.FinishDueJobsAsync(10, default));
        _g.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(inFlight.DueAt!.Value));
        Assert.Equal(1, await node.FinishDueJobsAsync(10, default));
        Assert.Equal(JobStatus.Completed, (await _g.JobAsync(inFlight)).Status);
        Assert.Equal(JobStatus.Running, (await _f.JobAsync(inFlight)).Status);
    }

    [Fact]
    public async Task One_accounts_export_imports_beside_others_but_never_over_state_of_its_own()
    {
        await BuildStateAsync();
        await _g.CreateBackendAsync("theirs", "dev", P with { AccountId = "222222222222" });
        var state = new StateService(_g.Admin);

        await state.ImportAsync(await new StateService(_f.Admin).ExportAsync(P.AccountId, default), default);
        var again = await Assert.ThrowsAsync<StateNotEmptyException>(
            async () => await state.ImportAsync(await new StateService(_f.Admin).ExportAsync(null, default), default));
        Assert.Equal(P.AccountId, again.AccountId);

        // The refused import wrote nothing: account 111111111111 of the second export is not there.
        var after = await state.ExportAsync(null, default);
        Assert.Equal(["000000000000", "222222222222"], after.Apps.Select(a => a.Partition.AccountId).Distinct().Order());

        await state.ResetAsync(P.AccountId, default);
        Assert.Equal(["222222222222"], (await state.ExportAsync(null, default)).Apps.Select(a => a.Partition.AccountId).Distinct());
        await state.ResetAsync(null, default);
        Assert.True((await state.ExportAsync(null, default)).IsEmpty);
    }
}
