using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using Ampstack.Aws.Client.Tests.Moto;
using Microsoft.Playwright;
using static Ampstack.Console.Tests.ConsoleDriver;
using static Microsoft.Playwright.Assertions;

namespace Ampstack.Console.Tests;

/// <summary>
/// A real moto and a server that provisions on it (<c>--provision-endpoint</c>), for the tests of what the environment's
/// page says about where each resource is.
/// </summary>
public sealed class ProvisioningFixture : IAsyncLifetime
{
    public MotoServer Moto { get; private set; } = null!;

    public ConsoleServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Moto = await MotoServer.StartAsync();
        Server = await ConsoleServer.StartAsync("immediate", "--provision-endpoint", Moto.Endpoint.ToString());
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Moto?.Dispose();
    }
}

/// <summary>The environment's page says whether each resource is provisioned, where, with its real ids, or emulated.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ProvisioningTests(ConsoleFixture fixture, ProvisioningFixture provisioning)
    : IClassFixture<ProvisioningFixture>, IAsyncLifetime
{
    private readonly ProvisioningFixture _provisioning = provisioning;
    private IBrowserContext _context = null!;

    public async Task InitializeAsync() =>
        _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });

    public Task DisposeAsync() => _context.CloseAsync();

    [Fact]
    public async Task Auth_made_on_a_provisioning_server_shows_provisioned_on_moto_with_the_pool_id_moto_has()
    {
        var server = _provisioning.Server;
        var moto = _provisioning.Moto.Endpoint.ToString().TrimEnd('/');
        var (page, appId) = await OpenNewEnvironmentAsync(_context, server, "provisioned");
        await AddAuthAsync(page, "provisionedpool");

        // The job ends (the page is drawn again then): provisioned on moto, with the ids moto gave.
        var auth = page.GetByRole(AriaRole.Article, new() { Name = $"Auth resource {appId}auth" });
        await Expect(auth).ToContainTextAsync($"Provisioned on {moto}", new() { Timeout = 60_000 });
        var poolId = auth.GetByLabel("User pool ID", new() { Exact = true });
        await Expect(poolId).ToHaveTextAsync(new Regex(@"^us-east-1_\w+$"));
        await Expect(auth.GetByLabel("Web client ID", new() { Exact = true })).ToHaveTextAsync(new Regex(@"^\w+$"));

        // The pool is moto's, under the name asked for.
        var id = await poolId.TextContentAsync();
        using var pool = await DescribeUserPoolAsync(_provisioning.Moto.Endpoint, id!, () => _provisioning.Moto.Output);
        Assert.Equal(id, pool.RootElement.GetProperty("UserPool").GetProperty("Id").GetString());
        Assert.Contains("provisionedpool", pool.RootElement.GetProperty("UserPool").GetProperty("Name").GetString(),
            StringComparison.Ordinal);
        // The page names the endpoint, never the credential.
        Assert.DoesNotContain("test:test", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_provisioned_on_moto_shows_the_steps_moto_does_not_implement_as_skipped()
    {
        var server = _provisioning.Server;
        var moto = _provisioning.Moto.Endpoint.ToString().TrimEnd('/');
        var (page, appId) = await OpenNewEnvironmentAsync(_context, server, "skipped");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add an API" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create api" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"API {appId}api in dev" })).ToBeVisibleAsync();
        await page.EvaluateAsync("hash => { window.location.hash = hash; }", $"#/app/{appId}/env/dev");

        // The sample schema's model has a table; moto 5.2.1 has no AppSync data sources nor resolvers, so the job skipped
        // them, and the page says so once the job has ended (it is drawn again then), under where the API was made.
        var api = page.GetByRole(AriaRole.Article, new() { Name = $"APIs resource {appId}api" });
        await Expect(api).ToContainTextAsync($"Provisioned on {moto}", new() { Timeout = 60_000 });
        await Expect(api).ToContainTextAsync(
            $"Skipped on {moto}, which does not implement them: appsync CreateDataSource, appsync CreateResolver");
        await Expect(api.GetByLabel("AppSync API ID", new() { Exact = true })).ToHaveTextAsync(new Regex(@"^[\w-]+$"));
    }

    [Fact]
    public async Task Auth_on_a_server_without_provisioning_shows_emulated()
    {
        var (page, appId) = await OpenNewEnvironmentAsync(_context, fixture.Delayed, "emulated");
        await AddAuthAsync(page, "emulatedpool");

        var auth = page.GetByRole(AriaRole.Article, new() { Name = $"Auth resource {appId}auth" });
        await Expect(auth).ToContainTextAsync("Emulated: this server does not provision");
        await Expect(auth).Not.ToContainTextAsync("Provisioned on");
        await Expect(auth.GetByLabel("User pool ID", new() { Exact = true })).ToHaveTextAsync(new Regex(@"^us-east-1_\w+$"));
        Assert.Equal(0, await page.Locator("meta[name=ampstack-provisioning]").CountAsync());
    }

    /// <summary>DescribeUserPool on moto, as any AWS client would ask it (SigV4 with moto's test credential).</summary>
    private static async Task<JsonDocument> DescribeUserPoolAsync(Uri moto, string userPoolId, Func<string> log)
    {
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { UserPoolId = userPoolId }));
        var target = "AWSCognitoIdentityProviderService.DescribeUserPool";
        var signing = new AWSSigningRequest { HttpMethod = HttpMethod.Post, RequestUri = moto, Content = body };
        signing.Headers["Content-Type"] = "application/x-amz-json-1.1";
        signing.Headers["X-Amz-Target"] = target;
        var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials("test", "test"),
            Region = RegionEndpoint.USEast1,
            Service = "cognito-idp",
        });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, moto) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        foreach (var (name, value) in signed.Headers)
        {
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("X-Amz-Target", StringComparison.OrdinalIgnoreCase)
                && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"DescribeUserPool on moto: {(int)response.StatusCode} {text}\n{log()}");
        return JsonDocument.Parse(text);
    }
}
