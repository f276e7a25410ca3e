using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Ampstack.Aws.Client.Tests.Moto;

/// <summary>An AppSync API, its schema and its key through the client (rest-json), on a real moto server.</summary>
[Collection("moto")]
public sealed class AppSyncOnMotoTests(MotoFixture moto) : IDisposable
{
    private const string Schema = """
        type Todo {
          id: ID!
          name: String!
          done: Boolean
        }

        type Query {
          getTodo(id: ID!): Todo
          listTodos: [Todo]
        }

        type Mutation {
          createTodo(name: String!): Todo
        }
        """;

    private readonly AwsServiceClient _appsync = moto.Client(VendoredModels.AppSync);
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(1));

    public void Dispose()
    {
        _appsync.Dispose();
        _timeout.Dispose();
    }

    [Fact]
    public async Task An_api_with_api_key_auth_takes_a_schema_and_a_key_and_is_deleted()
    {
        var ct = _timeout.Token;
        var name = MotoFixture.Unique("ampstack-api-");
        var created = await _appsync.InvokeAsync("CreateGraphqlApi", new JsonObject
        {
            ["name"] = name,
            ["authenticationType"] = "API_KEY",
            ["tags"] = new JsonObject { ["ampstack:job"] = "job-1" },
        }, ct);
        var apiId = (string)created["graphqlApi"]!["apiId"]!;
        Assert.Equal("API_KEY", (string?)created["graphqlApi"]!["authenticationType"]);

        var api = (await _appsync.InvokeAsync("GetGraphqlApi", new JsonObject { ["apiId"] = apiId }, ct))["graphqlApi"]!;
        Assert.Equal(name, (string?)api["name"]);
        var renamed = await _appsync.InvokeAsync("UpdateGraphqlApi", new JsonObject
        {
            ["apiId"] = apiId,
            ["name"] = name + "-2",
            ["authenticationType"] = "API_KEY",
        }, ct);
        Assert.Equal(name + "-2", (string?)renamed["graphqlApi"]!["name"]);
        var apis = await _appsync.InvokeAsync("ListGraphqlApis", new JsonObject { ["maxResults"] = 25 }, ct);
        Assert.Contains(apis["graphqlApis"]!.AsArray(), a => (string?)a!["apiId"] == apiId);

        await _appsync.InvokeAsync("StartSchemaCreation", new JsonObject
        {
            ["apiId"] = apiId,
            ["definition"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Schema)),
        }, ct);
        var status = await SchemaCreationFinishedAsync(apiId, ct);
        Assert.Equal("SUCCESS", (string?)status["status"]);

        var introspection = await _appsync.InvokeAsync("GetIntrospectionSchema", new JsonObject
        {
            ["apiId"] = apiId,
            ["format"] = "SDL",
        }, ct);
        var sdl = Encoding.UTF8.GetString(Convert.FromBase64String((string)introspection["schema"]!));
        Assert.Contains("type Todo", sdl, StringComparison.Ordinal);
        Assert.Contains("createTodo(name: String!): Todo", sdl, StringComparison.Ordinal);

        var key = (await _appsync.InvokeAsync("CreateApiKey", new JsonObject
        {
            ["apiId"] = apiId,
            ["description"] = "ampstack",
        }, ct))["apiKey"]!;
        var keys = await _appsync.InvokeAsync("ListApiKeys", new JsonObject { ["apiId"] = apiId }, ct);
        Assert.Contains(keys["apiKeys"]!.AsArray(), k => (string?)k!["id"] == (string?)key["id"]);

        await _appsync.InvokeAsync("DeleteGraphqlApi", new JsonObject { ["apiId"] = apiId }, ct);
        var gone = await Assert.ThrowsAsync<AwsServiceException>(() =>
            _appsync.InvokeAsync("GetGraphqlApi", new JsonObject { ["apiId"] = apiId }, ct));
        Assert.Equal("NotFoundException", gone.ErrorCode);
        Assert.Equal(404, gone.StatusCode);
    }

    /// <summary>Polls GetSchemaCreationStatus until it leaves PROCESSING (a deadline, not a guess, bounds the wait).</summary>
    private async Task<JsonObject> SchemaCreationFinishedAsync(string apiId, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await _appsync.InvokeAsync("GetSchemaCreationStatus", new JsonObject { ["apiId"] = apiId }, ct);
            if ((string?)status["status"] is not ("PROCESSING" or "NOT_APPLICABLE") || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return status;
            }

            await Task.Delay(50, ct);
        }
    }
}
