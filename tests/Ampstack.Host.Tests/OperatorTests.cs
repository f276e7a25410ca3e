using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ampstack.Domain.Jobs;
using Ampstack.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Ampstack.Host.Tests;

/// <summary>The operator routes (/_ampstack/...) over real HTTP: who may call them, what they refuse, health's 503.</summary>
public sealed class OperatorTests : IAsyncDisposable
{
    private readonly List<WebApplication> _servers = [];
    private readonly List<string> _directories = [];
    private readonly HttpClient _client = new();

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        foreach (var server in _servers)
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }

        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<Uri> StartAsync(ServerOptions options)
    {
        var directory = Path.Combine(Path.GetTempPath(), "ampstack-operator-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        var app = ServerComposition.Build(options with
        {
            Port = 0,
            DataDirectory = directory,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.None,
        });
        _servers.Add(app);
        await app.StartAsync();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri server, string route, string? bearer = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(server, route));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return _client.SendAsync(request);
    }

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    [Fact]
    public async Task A_client_that_leaves_in_the_middle_of_its_body_is_counted_as_gone_not_as_a_server_failure()
    {
        // Kestrel's "Unexpected end of request content" once the connection is known to be gone: what a client that
        // closes in the middle of its body (wrk at the end of a run) leaves the pipeline with.
        await StartAsync(new ServerOptions());
        var services = _servers[^1].Services;
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = services, RequestAborted = gone.Token };
        http.Request.Method = "POST";
        http.Request.Path = "/backend/x/details";
        http.Request.Headers.Authorization = "AWS4-HMAC-SHA256 Credential=t/20261126/us-east-1/amplifybackend/aws4_request, " +
            "SignedHeaders=host, Signature=0";
        http.Request.ContentLength = 100;
        http.Request.Body = new CutShortBody();
        http.Response.Body = new MemoryStream();
        await services.GetRequiredService<Aws.Pipeline.AwsServiceEndpoint>().HandleAsync(http);

        Assert.Equal(Aws.Pipeline.AwsServiceEndpoint.ClientClosedRequest, http.Response.StatusCode);
        using var metrics = new MemoryStream();
        await services.GetRequiredService<Operator.ServerMetrics>().WriteAsync(metrics, default);
        var counted = Encoding.UTF8.GetString(metrics.ToArray()).Split('\n')
            .Where(line => line.StartsWith("ampstack_requests_total{", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ampstack_requests_total{operation=\"none\",status=\"499\"} 1"], counted);
    }

    /// <summary>A request body whose connection closed before it was all sent.</summary>
    private sealed class CutShortBody : MemoryStream
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Unexpected end of request content.");
    }

    [Fact]
    public async Task In_strict_auth_they_are_closed_without_an_operator_key_and_an_aws_signature_does_not_open_them()
    {
        var server = await StartAsync(new ServerOptions { InlineCredentials = ServerFixture.Credentials });
        using var unsigned = await SendAsync(HttpMethod.Get, server, "/_ampstack/health");
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("--operator-key", (string?)(await JsonAsync(unsigned))["message"], StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/_ampstack/health"));
        SdkSigner.Sign(request, [], new Amazon.Runtime.BasicAWSCredentials("test", ServerFixture.SecretOf("test")), "us-east-1");
        using var signed = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, signed.StatusCode);
    }

    [Fact]
    public async Task With_an_operator_key_only_that_bearer_token_opens_them()
    {
        var server = await StartAsync(new ServerOptions { InlineCredentials = ServerFixture.Credentials, OperatorKey = "s3cret-key" });
        foreach (var bearer in new[] { null, "wrong", "s3cret-ke", "s3cret-key2" })
        {
            using var refused = await SendAsync(HttpMethod.Get, server, "/_ampstack/metrics", bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        using var health = await SendAsync(HttpMethod.Get, server, "/_ampstack/health", "s3cret-key");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = await JsonAsync(health);
        var store = body["store"]!;
        Assert.Equal(("healthy", "sqlite", true), ((string?)body["status"], (string?)store["kind"], (bool?)store["reachable"]));
        Assert.Equal(Storage.Sqlite.SqliteBackendStore.LatestSchemaVersion, (int?)store["schemaVersion"]);
    }

    [Fact]
    public async Task Unknown_routes_are_404_wrong_methods_405_and_reset_is_refused_unless_allowed()
    {
        var server = await StartAsync(new ServerOptions());
        using var unknown = await SendAsync(HttpMethod.Get, server, "/_ampstack/nothing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var wrong = await SendAsync(HttpMethod.Delete, server, "/_ampstack/snapshot");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal(["GET", "POST"], wrong.Content.Headers.Allow.Order());
        using var reset = await SendAsync(HttpMethod.Post, server, "/_ampstack/reset");
        Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        Assert.Contains("--allow-reset", (string?)(await JsonAsync(reset))["message"], StringComparison.Ordinal);
    }

    private const string Partition = "\"partition\": {\"accountId\": \"000000000000\", \"region\": \"us-east-1\"}";

    private static string Snapshot(int version = 1, string apps = "", string jobs = "", string tokens = "") =>
        $"{{\"format\": \"ampstack-snapshot\", \"version\": {version}, \"schemaVersion\": 4, \"exportedAt\": \"2026-12-01T00:00:00Z\", " +
        $"\"apps\": [{apps}], \"environments\": [], \"resources\": [], \"models\": [], \"jobs\": [{jobs}], \"tokens\": [{tokens}]}}";

    private const string J1 = "00000000-0000-4000-8000-000000000001";
    private const string J2 = "00000000-0000-4000-8000-000000000002";

    private static string App(string name = "n", string account = "000000000000") =>
        $"{{\"partition\": {{\"accountId\": \"{account}\", \"region\": \"us-east-1\"}}, \"appId\": \"a\", " +
        $"\"appName\": \"{name}\", \"createdAt\": 1, \"adminUi\": null}}";

    private static string Token(string session) =>
        $"{{{Partition}, \"appId\": \"a\", \"sessionId\": \"{session}\", \"challengeCode\": \"c0de\", \"expiresAt\": 1}}";

    private static string Job(string id) =>
        $"{{{Partition}, \"appId\": \"a\", \"environment\": \"dev\", \"jobId\": \"{id}\", \"operation\": \"CreateBackend\", " +
        "\"status\": \"RUNNING\", \"error\": null, \"createdAt\": 1, \"updatedAt\": 1, \"dueAt\": 5, " +
        "\"work\": {}, \"lease\": null}";

    public static TheoryData<string, string> Unimportable => new()
    {
        { "not json", "Not an Ampstack snapshot" },
        { "{\"format\": \"something-else\", \"version\": 1}", "Not an Ampstack snapshot" },
        { Snapshot(version: 2), "version 2" },
        { Snapshot(apps: "{\"partition\": {\"accountId\": \"000000000000\"}, \"appId\": \"a\", \"appName\": \"n\", " +
            "\"createdAt\": 1, \"adminUi\": null}"), "region" },
        { Snapshot(apps: $"{{{Partition}, \"appId\": null, \"appName\": \"n\", \"createdAt\": 1, \"adminUi\": null}}"),
            "appId" },
        { Snapshot(jobs: Job(J1).Replace("RUNNING", "PAUSED", StringComparison.Ordinal)), "PAUSED" },
        // Two pending jobs in one environment: the service's rule, in its own words.
        { Snapshot(jobs: Job(J1) + ", " + Job(J2)), "jobs[1]: There is already a pending job" },
        // The API's own limits and id patterns, named by record and member; never the store's SQL.
        { Snapshot(apps: App(name: new string('n', 170_000))), "apps[0]: 'appName' is 170000 characters long; the limit is 255" },
        { Snapshot(apps: App(account: "12345678901")), "apps[0]: 'partition.accountId' must be a 12-digit AWS account id" },
        { Snapshot(apps: App(), tokens: Token(J1) + ", " + Token(J1)), $"tokens[1]: session {J1} of app a is in the snapshot twice" },
        { Snapshot(apps: App(), tokens: Token("s1")), "tokens[0]: 'sessionId' must be a UUID" },
        { Snapshot(jobs: Job("j1")), "jobs[0]: 'jobId' must be a UUID" },
        { Snapshot(apps: App() + ", " + App()), "apps[1]: app a is in the snapshot twice" },
        { Snapshot(apps: App(name: "tab\\u0000")), "apps[0]: 'appName' must not contain control characters" },
        { Snapshot(jobs: Job(J1).Replace("\"work\": {}", "\"work\": []", StringComparison.Ordinal)), "Not an Ampstack snapshot" },
        { Snapshot(jobs: Job(J1).Replace("CreateBackend", "Create\\u0000Backend", StringComparison.Ordinal)),
            "jobs[0]: Invalid value for 'operation': must not contain the NUL character" },
        { Snapshot(jobs: Job(J1).Replace("CreateBackend", new string('o', 300), StringComparison.Ordinal)),
            "jobs[0]: 'operation' is 300 characters long; the limit is 255" },
        // Amplify Hosting's settings are held to the same rules: ids for branch names, storable text, each branch once.
        { Snapshot(apps: Hosted("{\"name\": \"main\"}, {\"name\": \"main\"}")), "apps[0]: branch main is in the app twice" },
        { Snapshot(apps: Hosted("{\"name\": \"bad\\u0001name\"}")),
            "apps[0]: 'hosting.branches[0].name' must not contain control characters" },
        { Snapshot(apps: Hosted("", description: "web\\u0000app")), "apps[0]: Invalid value for 'hosting.description'" },
        // Documents the domain reads through the model's records hold what the service gives them.
        { Snapshot(apps: App().Replace("\"adminUi\": null", "\"adminUi\": {\"backendManagerAppId\": null, " +
            "\"loginAuthConfig\": {\"AwsCognitoRegion\": 5}}", StringComparison.Ordinal)),
            "apps[0]: 'adminUi.loginAuthConfig' does not have the members the service gives it" },
    };

    private static string Hosted(string branches, string description = "web") =>
        App()[..^1] + $", \"hosting\": {{\"description\": \"{description}\", \"branches\": [{branches}]}}}}";

    [Theory]
    [MemberData(nameof(Unimportable))]
    public async Task A_snapshot_that_cannot_be_imported_is_refused_with_the_reason_and_changes_nothing(string body, string reason)
    {
        var server = await StartAsync(new ServerOptions());
        using var refused = await SendAsync(HttpMethod.Post, server, "/_ampstack/snapshot", body: body);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(reason, (string?)(await JsonAsync(refused))["message"], StringComparison.Ordinal);

        using var export = await SendAsync(HttpMethod.Get, server, "/_ampstack/snapshot");
        var state = await JsonAsync(export);
        Assert.Equal(0, state["apps"]!.AsArray().Count + state["jobs"]!.AsArray().Count);
    }

    [Fact]
    public async Task Health_is_503_while_the_store_refuses_connections_and_200_again_after()
    {
        var database = TestPostgres.NewDatabaseName("operator");
        try
        {
            var server = await StartAsync(new ServerOptions
            {
                Store = StoreKind.Postgres,
                ConnectionString = TestPostgres.ConnectionString(database),
                Jobs = JobProgression.Immediate,
            });
            using (var healthy = await SendAsync(HttpMethod.Get, server, "/_ampstack/health"))
            {
                Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
                Assert.Equal("postgres", (string?)(await JsonAsync(healthy))["store"]!["kind"]);
            }

            await TestPostgres.ExecuteAsync("postgres", $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
            await TestPostgres.ExecuteAsync("postgres",
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'");
            using (var down = await SendAsync(HttpMethod.Get, server, "/_ampstack/health"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
                var body = await JsonAsync(down);
                Assert.Equal(("unhealthy", false), ((string?)body["status"], (bool?)body["store"]!["reachable"]));
                Assert.False(string.IsNullOrEmpty((string?)body["store"]!["error"]));
            }

            await TestPostgres.ExecuteAsync("postgres", $"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
            using var again = await SendAsync(HttpMethod.Get, server, "/_ampstack/health");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        finally
        {
            await TestPostgres.DropAsync(database);
        }
    }
}
