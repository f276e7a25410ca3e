using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

/// <summary>
/// CloneBackend with provisioning on (issue 23): the job makes the target's roles and then each copied resource, stores
/// each one's real outputs on the target as it goes, finishes after a crash what is left, and on a failure removes what it
/// made and the target. The provisioner is a fake that records what it is asked; the store is real.
/// </summary>
public sealed class CloneProvisioningTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly DomainFixture _f = new();

    public void Dispose()
    {
        _f.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void The_clone_work_lists_the_roles_then_each_made_copy_and_survives_its_document()
    {
        var auth = Resource(ResourceKind.Auth, "auth1", imported: false);
        var storage = Resource(ResourceKind.Storage, "files", imported: true);
        var api = Resource(ResourceKind.Api, "blog", imported: false);
        var work = ProvisionWork.CloneInto("prod", [auth, storage, api]);

        Assert.Equal(ProvisionAction.Clone, work.Action);
        Assert.Equal("prod", work.Environment);
        Assert.Equal([(ResourceKind.Root, "root"), (ResourceKind.Auth, "auth1"), (ResourceKind.Api, "blog")],
            work.Parts!.Select(p => (p.Kind, p.Name)));
        Assert.All(work.Parts!, p => Assert.Equal(("create", "prod"), (p.Action, p.Environment)));
        Assert.Equal(work.ToDocument().ToJsonString(), ProvisionWork.From(work.ToDocument())!.ToDocument().ToJsonString());
    }

    [Fact]
    public async Task A_clone_resumed_after_a_crash_finishes_what_is_left_with_each_copys_real_outputs()
    {
        var provisioner = new FakeProvisioner();
        var first = Node(provisioner);
        await first.CreateDevWithAuthAsync();
        await first.Resources.ImportStorageAsync(P, "app", "dev", "theirs", new JsonObject { ["ServiceName"] = "S3" }, default);
        await first.RunAllAsync();

        // The first node dies while it makes prod's auth: prod's roles are made and stored by then.
        provisioner.BlockOn = (ResourceKind.Auth, "prod");
        var clone = await first.Backends.CloneBackendAsync(P, "app", "dev", "prod", default);
        await first.Jobs.FinishDueJobsAsync(10, default);
        await provisioner.Blocked.Task.WaitAsync(Hang);
        await first.Provisioning.DisposeAsync();
        Assert.Equal(JobStatus.Running, (await _f.JobAsync(clone)).Status);
        var prod = await _f.Store.ReadAsync(P, tx => tx.GetEnvironmentAsync("app", "prod"), default);
        Assert.Equal("real-prod-auth-role", (string?)prod!.Provider["AuthRoleArn"]);

        // Run again (here, restarted): the roles again (found, the provisioner being idempotent), then the auth; the
        // imported storage is copied, not made.
        provisioner.BlockOn = null;
        provisioner.Calls.Clear();
        var second = Node(provisioner);
        await second.RunAllAsync();
        Assert.Equal(JobStatus.Completed, (await _f.JobAsync(clone)).Status);
        Assert.Equal(["create root prod", "create auth auth1 prod"], provisioner.Calls);
        var copy = await _f.Store.ReadAsync(P, tx => tx.GetResourceAsync("app", "prod", ResourceKind.Auth, "auth1"), default);
        Assert.Equal("made in prod by " + clone.JobId, (string?)copy!.Outputs["Real"]);
        var imported = await _f.Store.ReadAsync(P, tx => tx.GetResourceAsync("app", "prod", ResourceKind.Storage, "theirs"), default);
        Assert.True(imported!.Imported);
        await second.Provisioning.DisposeAsync();
    }

    [Fact]
    public async Task A_clone_that_cannot_make_a_copy_removes_what_it_made_and_the_target()
    {
        var provisioner = new FakeProvisioner();
        var node = Node(provisioner);
        await node.CreateDevWithAuthAsync();
        await node.Resources.CreateStorageAsync(P, "app", "dev", "files", new JsonObject { ["ServiceName"] = "S3" }, default);
        await node.RunAllAsync();
        provisioner.Calls.Clear();

        provisioner.FailOn = (ResourceKind.Storage, "prod");
        var clone = await node.Backends.CloneBackendAsync(P, "app", "dev", "prod", default);
        await node.RunAllAsync();

        var ended = await _f.JobAsync(clone);
        Assert.Equal(JobStatus.Failed, ended.Status);
        Assert.Equal("storage files: BucketAlreadyExists: no", ended.Error);
        Assert.Equal(["create root prod", "create auth auth1 prod", "create storage files prod", "delete auth auth1 prod",
            "delete root root prod"], provisioner.Calls);
        Assert.Equal("made in prod by " + clone.JobId, (string?)provisioner.Removed[0]["Real"]);
        Assert.Equal("real-prod-auth-role", (string?)provisioner.Removed[1]["AuthRoleArn"]);
        Assert.Null(await _f.Store.ReadAsync(P, tx => tx.GetEnvironmentAsync("app", "prod"), default));
        Assert.NotNull(await _f.Store.ReadAsync(P, tx => tx.GetEnvironmentAsync("app", "dev"), default));

        // What cannot be removed is named in the job's error.
        provisioner.FailOn = (ResourceKind.Storage, "qa");
        provisioner.FailRemovalOf = ResourceKind.Auth;
        var again = await node.Backends.CloneBackendAsync(P, "app", "dev", "qa", default);
        await node.RunAllAsync();
        Assert.Equal("storage files: BucketAlreadyExists: no; left on the endpoint, not removed: auth auth1 (InvalidParameter: busy)",
            (await _f.JobAsync(again)).Error);
        await node.Provisioning.DisposeAsync();
    }

    private static ResourceRecord Resource(ResourceKind kind, string name, bool imported) =>
        new(P, "app", "dev", kind, name, [], [], imported, null, 1);

    private ProvisioningNode Node(FakeProvisioner provisioner)
    {
        var provisioning = new ProvisioningJobs(_f.Store, provisioner, _f.Time, _f.Leases);
        var jobs = new JobService(_f.Store, _f.Schemas, _f.Time, JobProgression.Immediate, _f.PageTokens, _f.Leases,
            provisioning: provisioning);
        return new ProvisioningNode(_f, provisioning, jobs, new BackendService(_f.Store, jobs),
            new ResourceService(_f.Store, jobs, _f.Schemas, _f.PageTokens));
    }

    private sealed record ProvisioningNode(DomainFixture F, ProvisioningJobs Provisioning, JobService Jobs, BackendService Backends,
        ResourceService Resources)
    {
        /// <summary>The clone's source: app <c>app</c>, environment <c>dev</c> and its auth <c>auth1</c>, each made.</summary>
        public async Task CreateDevWithAuthAsync()
        {
            await Backends.CreateBackendAsync(P, "app", "app", "dev", default);
            await RunAllAsync();
            await Resources.CreateAuthAsync(P, "app", "dev", "auth1", AuthConfig(), default);
            await RunAllAsync();
        }

        /// <summary>Hands the due jobs to provisioning and waits (polling) until none provisions.</summary>
        public async Task RunAllAsync()
        {
            var deadline = DateTime.UtcNow + Hang;
            while (true)
            {
                await Jobs.FinishDueJobsAsync(10, default);
                var pending = await F.Store.ReadAsync(P, tx => tx.ListPendingJobsAsync("app", null), default);
                if (pending.Count == 0)
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < deadline, "the jobs did not end");
                await Task.Delay(10);
            }
        }
    }

    /// <summary>Records each task; makes roles and resources with outputs naming the environment and job.</summary>
    private sealed class FakeProvisioner : IProvisioner
    {
        public ConcurrentQueue<string> Calls { get; } = new();

        public List<JsonObject> Removed { get; } = [];

        public (ResourceKind Kind, string Environment)? BlockOn { get; set; }

        public (ResourceKind Kind, string Environment)? FailOn { get; set; }

        public ResourceKind? FailRemovalOf { get; set; }

        public TaskCompletionSource Blocked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Where => "fake";

        public bool Handles(ResourceKind kind) => true;

        public async Task<ProvisionOutcome> ProvisionAsync(ProvisionTask task, CancellationToken cancellationToken)
        {
            var work = task.Work;
            Calls.Enqueue($"{work.Action} {work.Kind.ToStored()}{(work.OnResource || work.Action == "delete" ? " " + work.Name : "")} "
                + task.Environment);
            if (work.Action == ProvisionAction.Delete)
            {
                Removed.Add(work.Outputs!);
                return FailRemovalOf == work.Kind ? ProvisionOutcome.Failed("InvalidParameter: busy") : ProvisionOutcome.Done(null);
            }

            if (BlockOn == (work.Kind, task.Environment))
            {
                Blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            if (FailOn == (work.Kind, task.Environment))
            {
                return ProvisionOutcome.Failed("BucketAlreadyExists: no");
            }

            if (work.Kind == ResourceKind.Root)
            {
                var provider = (JsonObject)task.RootStack!.DeepClone();
                provider["AuthRoleArn"] = $"real-{task.Environment}-auth-role";
                return ProvisionOutcome.Done(provider);
            }

            var outputs = (JsonObject)task.Resource!.Outputs.DeepClone();
            outputs["Real"] = $"made in {task.Environment} by {task.JobId}";
            return ProvisionOutcome.Done(outputs);
        }
    }
}
