using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace Ampstack.Console.Tests;

/// <summary>
/// Amplify Hosting called from outside the browser, as a script would: plain HTTP requests signed with the AWS SDK for
/// .NET's own SigV4 signer (AWSSDK.Core; there is no AWSSDK.Amplify here), so what the console shows is checked against
/// what the server says to someone else.
/// </summary>
public sealed class HostingApi(ConsoleServer server, string key, string secret, string region = "us-east-1") : IDisposable
{
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    /// <summary>CreateApp; returns the new app's id.</summary>
    public async Task<string> CreateAppAsync(string name, string? description = null)
    {
        var body = new JsonObject { ["name"] = name };
        if (description is not null)
        {
            body["description"] = description;
        }

        var result = await SendAsync(HttpMethod.Post, "apps", body);
        return result.GetProperty("app").GetProperty("appId").GetString()!;
    }

    public Task CreateBackendEnvironmentAsync(string appId, string environment) =>
        SendAsync(HttpMethod.Post, $"apps/{Uri.EscapeDataString(appId)}/backendenvironments",
            new JsonObject { ["environmentName"] = environment });

    /// <summary>Every app of the account, following ListApps' nextToken (name and description by app id).</summary>
    public async Task<Dictionary<string, (string Name, string Description)>> ListAllAppsAsync()
    {
        var apps = new Dictionary<string, (string, string)>();
        string? next = null;
        do
        {
            var query = next is null ? "" : "?nextToken=" + Uri.EscapeDataString(next);
            var page = await SendAsync(HttpMethod.Get, "apps" + query, null);
            foreach (var app in page.GetProperty("apps").EnumerateArray())
            {
                apps.Add(app.GetProperty("appId").GetString()!,
                    (app.GetProperty("name").GetString()!, app.GetProperty("description").GetString() ?? ""));
            }

            next = page.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        while (next is not null);
        return apps;
    }

    public async Task<List<string>> ListBackendEnvironmentsAsync(string appId)
    {
        var page = await SendAsync(HttpMethod.Get, $"apps/{Uri.EscapeDataString(appId)}/backendenvironments", null);
        return page.GetProperty("backendEnvironments").EnumerateArray()
            .Select(e => e.GetProperty("environmentName").GetString()!).ToList();
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        var bytes = body is null ? [] : JsonSerializer.SerializeToUtf8Bytes(body);
        using var request = new HttpRequestMessage(method, new Uri(server.Address, path));
        var signing = new AWSSigningRequest { HttpMethod = method, RequestUri = request.RequestUri!, Content = bytes };
        if (body is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            signing.Headers["Content-Type"] = "application/json";
        }

        var signed = AWSSigV4Signer.Sign(signing, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials(key, secret),
            Region = RegionEndpoint.GetBySystemName(region),
            Service = "amplify",
        });
        foreach (var (name, value) in signed.Headers)
        {
            // Host and the content headers are HttpClient's to send.
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} /{path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
