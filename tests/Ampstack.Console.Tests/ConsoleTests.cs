using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Ampstack.Console.Tests.ConsoleDriver;
using static Microsoft.Playwright.Assertions;

namespace Ampstack.Console.Tests;

/// <summary>The console in Debian's chromium against real servers: what a person sees and does.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private IBrowserContext _context = null!;

    public async Task InitializeAsync() =>
        _context = await fixture.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 900 } });

    public Task DisposeAsync() => _context.CloseAsync();

    [Fact]
    public async Task An_app_environment_and_auth_are_made_cloned_and_deleted_with_a_400_shown_at_its_member()
    {
        var (page, appId) = await OpenNewEnvironmentAsync(_context, fixture.Delayed, "lifecycle");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add auth" }).ClickAsync();
        // userPoolName is required and left empty: the server's 400 names it, and the console shows it at that field.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create auth" }).ClickAsync();
        var poolName = page.GetByRole(AriaRole.Textbox, new() { Name = "userPoolName", Exact = true });
        await Expect(poolName).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(poolName).ToHaveAccessibleDescriptionAsync(
            "Missing required member 'resourceConfig.userPoolConfigs.userPoolName'.");
        await Expect(poolName).ToBeFocusedAsync();

        await poolName.FillAsync("lifecyclepool");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "signInMethod" }).SelectOptionAsync("USERNAME");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create auth" }).ClickAsync();
        var auth = page.GetByRole(AriaRole.Article, new() { Name = $"Auth resource {appId}auth" });
        await Expect(auth).ToContainTextAsync("\"UserPoolName\": \"lifecyclepool\"");
        await Expect(auth).ToContainTextAsync("\"SignInMethod\": \"USERNAME\"");
        await Expect(page.GetByLabel("amplify-meta.json", new() { Exact = true })).ToContainTextAsync("\"service\": \"Cognito\"");
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy amplify-meta.json" }).ClickAsync();
        await Expect(page.GetByText(new Regex("Copied to the clipboard|the text is selected"))).ToBeVisibleAsync();

        await page.GetByLabel("New environment name").FillAsync("staging");
        await page.GetByRole(AriaRole.Button, new() { Name = "Clone environment" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Environment staging of lifecycle" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Article, new() { Name = $"Auth resource {appId}auth" })).ToContainTextAsync("lifecyclepool");

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete environment" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm delete of staging" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "App lifecycle" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Environment dev" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Environment staging" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("sessionStorage.length"));
    }

    [Fact]
    public async Task A_schema_syntax_error_shows_its_line_and_column_and_generated_models_are_drawn()
    {
        var (page, appId) = await OpenNewEnvironmentAsync(_context, fixture.Delayed, "models");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add an API" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create api" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"API {appId}api in dev" })).ToBeVisibleAsync();

        var editor = page.GetByLabel("GraphQL schema (transformSchema)");
        await editor.FillAsync("type Blog @model {\n  id: ID!\n  name String!\n}\n");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save schema" }).ClickAsync();
        await Expect(Alert(page, @"Schema error at line 3, column \d+")).ToBeVisibleAsync();
        await Expect(editor).ToBeFocusedAsync();
        await Expect(page.GetByText(new Regex(@"^Line 3, column \d+$"))).ToBeVisibleAsync();

        await editor.FillAsync("""
            type Blog @model {
              id: ID!
              name: String!
              posts: [Post] @hasMany
            }

            type Post @model {
              id: ID!
              title: String!
              blog: Blog @belongsTo
              tags: [Tag] @manyToMany(relationName: "PostTags")
            }

            type Tag @model {
              id: ID!
              label: String!
              posts: [Post] @manyToMany(relationName: "PostTags")
            }
            """);
        // Generate saves the edited schema first, then runs GenerateBackendAPIModels and draws what it made.
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate models" }).ClickAsync();
        foreach (var model in new[] { "Blog", "Post", "Tag", "PostTags" })
        {
            await Expect(page.GetByRole(AriaRole.Group, new() { Name = $"Model {model}", Exact = true })).ToBeVisibleAsync();
        }

        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Blog hasMany Post" })).ToContainTextAsync("hasMany (posts)");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Post belongsTo Blog" })).ToContainTextAsync("belongsTo (blog)");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Post manyToMany Tag" }))
            .ToContainTextAsync("manyToMany (PostTags)");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Model Post", Exact = true })).ToContainTextAsync("title");
        await Expect(page.GetByText("Models: LATEST (generated from the current schema).")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Show schema.js" }).ClickAsync();
        await Expect(page.GetByLabel("schema.js")).ToContainTextAsync("export const schema");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show introspection JSON" }).ClickAsync();
        await Expect(page.GetByLabel("Model introspection JSON")).ToContainTextAsync("\"PostTags\"");

        await page.GetByRole(AriaRole.Button, new() { Name = "Hide schema.js" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Hide introspection JSON" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Data models" }).EvaluateAsync("h => h.scrollIntoView({ block: 'start' })");
        var shot = Path.Combine(AppContext.BaseDirectory, "console.png");
        await page.ScreenshotAsync(new() { Path = shot });
        Screenshot.Publish(shot, output);
    }

    [Fact]
    public async Task The_jobs_list_follows_a_job_from_RUNNING_to_COMPLETED_without_a_reload()
    {
        var actor = await OpenAsync(_context, fixture.Delayed);
        await SignInAsync(actor, ConsoleServer.KeyA, ConsoleServer.SecretA);
        var appId = await CreateAppAsync(actor, "jobs");

        // A second tab watches the jobs of dev (a tab's sign-in is its own, as with the real console).
        var watcher = await OpenAsync(_context, fixture.Delayed);
        await SignInAsync(watcher, ConsoleServer.KeyA, ConsoleServer.SecretA);
        await watcher.GetByRole(AriaRole.Link, new() { Name = appId }).ClickAsync();
        await watcher.GetByRole(AriaRole.Link, new() { Name = "Jobs of dev" }).ClickAsync();
        await Expect(watcher.GetByRole(AriaRole.Row).Filter(new() { HasText = "CreateBackend" })).ToContainTextAsync("COMPLETED");
        await watcher.EvaluateAsync("window.__notReloaded = true");

        await actor.GetByRole(AriaRole.Link, new() { Name = "Environment dev" }).ClickAsync();
        await actor.GetByRole(AriaRole.Link, new() { Name = "Add storage" }).ClickAsync();
        await actor.GetByRole(AriaRole.Checkbox, new() { Name = "READ" }).First.CheckAsync();
        await actor.GetByRole(AriaRole.Button, new() { Name = "Create storage" }).ClickAsync();

        var row = watcher.GetByRole(AriaRole.Row).Filter(new() { HasText = "CreateBackendStorage" });
        await Expect(row).ToContainTextAsync("RUNNING");
        await Expect(row).ToContainTextAsync("COMPLETED");
        Assert.True(await watcher.EvaluateAsync<bool>("window.__notReloaded === true"));
        await Expect(watcher.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^Timeline of 2 jobs") })).ToBeVisibleAsync();
        await Expect(watcher.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^CreateBackendStorage COMPLETED") }))
            .ToBeVisibleAsync();

        // The filters are ListBackendJobs' own.
        await watcher.GetByLabel("Status").SelectOptionAsync("FAILED");
        await Expect(watcher.GetByText("No jobs match.")).ToBeVisibleAsync();
        await watcher.GetByLabel("Status").SelectOptionAsync("COMPLETED");
        await watcher.GetByLabel("Operation").SelectOptionAsync("CreateBackendStorage");
        await Expect(watcher.GetByRole(AriaRole.Row).Filter(new() { HasText = "CreateBackend" })).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("COMPLETED");
    }

    [Fact]
    public async Task A_stuck_RUNNING_job_can_be_set_FAILED()
    {
        var page = await OpenAsync(_context, fixture.Manual);
        await SignInAsync(page, ConsoleServer.KeyA, ConsoleServer.SecretA);
        await page.GetByLabel("App name").FillAsync("stuck");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create app" }).ClickAsync();
        var appId = await CreatedAppIdAsync(page, "stuck");
        await Expect(page.GetByText(new Regex(@"^Create app: job \S+ RUNNING…$"))).ToBeVisibleAsync();

        await page.GotoAsync($"{fixture.Manual.ConsoleUrl}#/app/{appId}/env/dev/jobs");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CreateBackend" });
        await Expect(row).ToContainTextAsync("RUNNING");
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Mark job .+ FAILED$") }).ClickAsync();
        await Expect(row).ToContainTextAsync("FAILED");
        await Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_login_token_shows_its_challenge_and_expiry_and_is_deleted()
    {
        var page = await OpenAsync(_context, fixture.Delayed);
        await SignInAsync(page, ConsoleServer.KeyA, ConsoleServer.SecretA);
        await CreateAppAsync(page, "tokens");
        await page.GetByRole(AriaRole.Link, new() { Name = "Admin UI login tokens" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create login token" }).ClickAsync();
        var tokens = page.GetByRole(AriaRole.Table, new() { Name = "Login tokens" });
        var row = tokens.GetByRole(AriaRole.Row).Nth(1);
        await Expect(row.GetByLabel(new Regex("^Challenge code of "))).ToHaveTextAsync(new Regex(@"^\S{20,}$"));
        await Expect(row).ToContainTextAsync(new Regex(@"expires in 9:\d\d"));
        var first = await row.TextContentAsync();
        await Expect(row).Not.ToHaveTextAsync(first!); // the countdown ticks

        // The token is remembered across a reload (in the tab's session storage, never in local storage), and read back
        // with GetToken.
        await page.ReloadAsync();
        await Expect(tokens.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        Assert.Empty(await page.EvaluateAsync<string[]>("Object.keys(localStorage)"));
        await tokens.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Delete token ") }).ClickAsync();
        await Expect(page.GetByText(new Regex("^Token .+ deleted\\.$"))).ToBeVisibleAsync();
        await Expect(tokens.GetByRole(AriaRole.Row)).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_second_credential_sees_none_of_the_first_ones_apps()
    {
        var page = await OpenAsync(_context, fixture.Delayed);
        await SignInAsync(page, ConsoleServer.KeyA, ConsoleServer.SecretA);
        var appId = await CreateAppAsync(page, "private");
        await page.GetByRole(AriaRole.Link, new() { Name = "Apps", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = appId })).ToContainTextAsync("private");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await SignInAsync(page, ConsoleServer.KeyB, ConsoleServer.SecretB);
        await Expect(page.GetByText("No apps yet: create one below, or open one by its id.")).ToBeVisibleAsync();
        await page.GetByLabel("App ID", new() { Exact = true }).FillAsync(appId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open app" }).ClickAsync();
        await Expect(Alert(page, "NotFoundException")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = appId })).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData(ConsoleServer.KeyA, "not-the-secret", "InvalidSignatureException")]
    [InlineData("AKIAUNKNOWN000000000", "whatever", "UnrecognizedClientException")]
    public async Task A_refused_credential_is_said_plainly_and_not_kept(string key, string secret, string error)
    {
        var page = await OpenAsync(_context, fixture.Delayed);
        await page.GetByLabel("Access key ID").FillAsync(key);
        await page.GetByLabel("Secret access key").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Alert(page, $"^Credential refused: .*{error}")).ToBeVisibleAsync();
        Assert.Equal(0, await page.EvaluateAsync<int>("sessionStorage.length"));
    }

    [Fact]
    public async Task A_server_that_cannot_be_reached_is_said_plainly()
    {
        var page = await OpenAsync(_context, fixture.Delayed);
        // The page is loaded; now every API call fails as it would with the server stopped.
        await page.RouteAsync("**/s3Buckets", route => route.AbortAsync("connectionrefused"));
        await page.GetByLabel("Access key ID").FillAsync(ConsoleServer.KeyA);
        await page.GetByLabel("Secret access key").FillAsync(ConsoleServer.SecretA);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Alert(page, "^Server unreachable: Cannot reach the Ampstack server at .*Is it running\\?")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_console_is_usable_from_the_keyboard()
    {
        var page = await OpenAsync(_context, fixture.Delayed);
        await Expect(page.GetByLabel("Access key ID")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(ConsoleServer.KeyA);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(ConsoleServer.SecretA);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Apps", Exact = true })).ToBeVisibleAsync();
        // Every control has a name: no unlabelled input, select or text area, and no button without text.
        var unnamed = await page.EvaluateAsync<int>("""
            [...document.querySelectorAll('input, select, textarea, button')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim()).length
            """);
        Assert.Equal(0, unnamed);
    }
}
