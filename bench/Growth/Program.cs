// Growth benchmark (not a test): how the latency of each ListBackendJobs form, and of GetBackend, changes from an
// environment with 1,000 jobs to one with 1,000,000. Each size gets a fresh SQLite store: the app, its environment and
// its resources (auth, storage, an API with generated models) are made through the domain services, then the jobs are
// seeded through the store's own code (its InsertJob, in transactions of 20,000). The calls are timed in process,
// through the domain services and the store: what grows with the data is there, and the HTTP layer in front adds the
// same constant at every size (bench/run.sh measures that layer). The domain keeps answers per app revision, so a
// repeated call would time the kept answer: before each call, untimed, the app row is written again, which gives the app
// a new revision, and every timed call makes its answer afresh from the store.
// Usage: bench/growth.sh [large size, default 1000000] [calls per form, default 2000]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Host;
using Ampstack.Storage.Sqlite;

var large = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var calls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_000;
var sizes = new[] { 1_000, large };
var partition = new Partition("000000000000", "us-east-1");
string[] operations =
    ["CreateBackend", "CloneBackend", "UpdateBackendAuth", "CreateBackendAPI", "GenerateBackendAPIModels", "RemoveAllBackends"];
var results = new Dictionary<(string Form, int Size), (double P50, double P99)>();
var forms = new List<string>();

var contexts = new List<(int Size, string Directory, SqliteBackendStore Store, (string Form, Func<Task> Call)[] Cases)>();
// A new revision for the app: its row written as it is (every write of the app row gives it a new one).
Func<Task> Forget(SqliteBackendStore store) => () => store.WriteAsync(partition, async tx =>
{
    await tx.PutAppAsync((await tx.GetAppAsync("app"))!);
    return 0;
}, default);
try
{
    foreach (var size in sizes)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ampstack-growth-" + Guid.NewGuid().ToString("N"));
        var store = SqliteBackendStore.Open(directory);
        contexts.Add((size, directory, store, await PrepareAsync(store, size)));
    }

    // Form by form, both sizes warmed up the same before either is timed (the JIT has then compiled what both run).
    foreach (var (form, _) in contexts[0].Cases)
    {
        forms.Add(form);
        var timed = contexts.Select(c => c.Cases.Single(x => x.Form == form).Call).ToList();
        var forget = contexts.Select(c => Forget(c.Store)).ToList();
        for (var k = 0; k < contexts.Count; k++)
        {
            for (var i = 0; i < Math.Max(20, calls / 4); i++)
            {
                await forget[k]();
                await timed[k]();
            }
        }

        for (var k = 0; k < contexts.Count; k++)
        {
            var times = new double[calls];
            for (var i = 0; i < calls; i++)
            {
                await forget[k]();
                var begin = Stopwatch.GetTimestamp();
                await timed[k]();
                times[i] = Stopwatch.GetElapsedTime(begin).TotalMicroseconds;
            }

            Array.Sort(times);
            results[(form, contexts[k].Size)] = (times[calls / 2], times[(int)(calls * 0.99)]);
        }
    }
}
finally
{
    foreach (var context in contexts)
    {
        context.Store.Dispose();
        Directory.Delete(context.Directory, recursive: true);
    }
}

var small = sizes[0];
Console.WriteLine();
Console.WriteLine($"| form | p50 at {small:N0} | p50 at {large:N0} | ratio | p99 at {small:N0} | p99 at {large:N0} |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var form in forms)
{
    var (a50, a99) = results[(form, small)];
    var (b50, b99) = results[(form, large)];
    Console.WriteLine($"| {form} | {a50:F0} µs | {b50:F0} µs | {b50 / a50:F2} | {a99:F0} µs | {b99:F0} µs |");
}

async Task<(string Form, Func<Task> Call)[]> PrepareAsync(SqliteBackendStore store, int size)
{
    var tokens = new PageTokenService(store);
    var schemas = new SchemaTools();
    var jobs = new JobService(store, schemas, TimeProvider.System, JobProgression.Immediate, tokens);
    var backends = new BackendService(store, jobs);
    var resources = new ResourceService(store, jobs, schemas, tokens);
    await backends.CreateBackendAsync(partition, "app", "app", "dev", default);
    await resources.CreateAuthAsync(partition, "app", "dev", "auth", new JsonObject
    {
        ["AuthResources"] = "USER_POOL_ONLY",
        ["Service"] = "COGNITO",
        ["UserPoolConfigs"] = new JsonObject
        {
            ["RequiredSignUpAttributes"] = new JsonArray("EMAIL"),
            ["SignInMethod"] = "EMAIL",
            ["UserPoolName"] = "pool",
        },
    }, default);
    await resources.CreateStorageAsync(partition, "app", "dev", "files", new JsonObject
    {
        ["ServiceName"] = "S3",
        ["Permissions"] = new JsonObject { ["Authenticated"] = new JsonArray("READ") },
    }, default);
    var schema = string.Join('\n', Enumerable.Range(0, 50).Select(i => $"type Model{i} @model {{ id: ID! name: String! n: Int }}"));
    await resources.CreateApiAsync(partition, "app", "dev", "api", new JsonObject
    {
        ["ApiName"] = "api",
        ["TransformSchema"] = schema,
        ["DefaultAuthType"] = new JsonObject { ["Mode"] = "API_KEY" },
    }, default);
    await resources.GenerateModelsAsync(partition, "app", "dev", "api", default);

    // The jobs: mostly completed, one in ten failed, the operations taking turns, the last one still running.
    var seeding = Stopwatch.StartNew();
    var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1000;
    const int Batch = 20_000;
    for (var from = 0; from < size; from += Batch)
    {
        var first = from;
        await store.WriteAsync(partition, async tx =>
        {
            for (var i = first; i < Math.Min(first + Batch, size); i++)
            {
                var status = i == size - 1 ? JobStatus.Running : i % 10 == 3 ? JobStatus.Failed : JobStatus.Completed;
                await tx.InsertJobAsync(new JobRecord(partition, "app", "dev", $"job-{i:D8}", operations[i % operations.Length],
                    status, null, start + i, start + i, null, JobWork.None));
            }

            return 0;
        }, default);
    }

    Console.WriteLine($"{size:N0} jobs seeded in {seeding.Elapsed.TotalSeconds:F1} s");

    // A nextToken 99.9% of the way through the list, reached by paging as a client would.
    string? deep = null;
    var skip = size * 999 / 1000;
    for (var listed = 0; listed + 25 <= skip; listed += 25)
    {
        deep = (await jobs.ListAsync(partition, "app", "dev", new JobFilter(null, null, null), 25, deep, default)).NextToken;
    }

    var lastJob = $"job-{size - 1:D8}";
    var cases = new (string Form, Func<Task> Call)[]
    {
        ("ListBackendJobs, first page",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(null, null, null), 25, null, default)),
        ("ListBackendJobs, page after 99.9% of the rows",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(null, null, null), 25, deep, default)),
        ("ListBackendJobs, status FAILED (1 in 10)",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(null, null, JobStatus.Failed), 25, null, default)),
        ("ListBackendJobs, status RUNNING (the last job)",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(null, null, JobStatus.Running), 25, null, default)),
        ("ListBackendJobs, operation (1 in 6)",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(null, "UpdateBackendAuth", null), 25, null, default)),
        ("ListBackendJobs, operation and status",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(null, "CloneBackend", JobStatus.Failed), 25, null, default)),
        ("ListBackendJobs, jobId (the last job)",
            () => jobs.ListAsync(partition, "app", "dev", new JobFilter(lastJob, null, null), 25, null, default)),
        ("GetBackendJob (the last job)", () => jobs.GetAsync(partition, "app", "dev", lastJob, default)),
        ("GetBackend (auth, storage, API with models)", () => backends.GetBackendAsync(partition, "app", "dev", default)),
    };
    return cases;
}
