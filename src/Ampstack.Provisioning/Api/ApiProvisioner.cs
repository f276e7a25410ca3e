using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Ampstack.Aws.Client;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Provisioning.Api;

/// <summary>
/// An API on the endpoint: an AppSync GraphQL API with its auth modes (found by name and resource tag before one is made),
/// the schema through <see cref="ISchemaTransformer"/>, an API key when a mode needs one, a DynamoDB table per
/// <c>@model</c> (key from <c>@primaryKey</c>, a GSI per <c>@index</c> and per relation keyed on the table, named
/// <c>gsi-Parent.field</c> as the transformer names it, streams, pay-per-request), and a data source and
/// a resolver per model where the endpoint offers them (skipped where it does not: moto 5.2.1 has neither). Update
/// redeploys the schema and adds and removes tables; delete removes the API and its tables. DynamoDB goes through
/// AWSSDK.DynamoDBv2, as S3 does through AWSSDK.S3.
/// </summary>
internal sealed class ApiProvisioner(ServiceClients clients, ProvisioningEndpoint endpoint, ISchemaTools schemaTools,
    ISchemaTransformer transformer) : IDisposable
{
    private static readonly TimeSpan SchemaDeadline = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, AmazonDynamoDBClient> _dynamo = new();

    public async Task<ProvisionOutcome> CreateOrUpdateAsync(ProvisionTask task, bool update, CancellationToken cancellationToken)
    {
        var resource = task.Resource!;
        var config = resource.ReadApiConfig();
        var previous = update ? resource.ReadApiOutputs() : null;
        var appsync = clients.For(ProvisioningModels.AppSync, task.Partition.Region);
        var dynamo = Dynamo(task.Partition.Region);
        var skipped = new List<string>();
        var undo = new List<Func<Task>>();
        try
        {
            var tags = new JsonObject { [Naming.ResourceTag] = Naming.ResourceKey(task), [Naming.JobTag] = task.JobId };
            var name = $"{config.ApiName ?? task.Work.Name}-{task.Environment}";
            var settings = ApiInput(config, name);
            var api = previous?.GraphQLAPIIdOutput is { } known
                ? await GetApiAsync(appsync, known, cancellationToken).ConfigureAwait(false)
                : null;
            api ??= await FindApiAsync(appsync, name, (string)tags[Naming.ResourceTag]!, cancellationToken).ConfigureAwait(false);
            if (api is null)
            {
                settings["tags"] = tags;
                var created = await appsync.InvokeAsync("CreateGraphqlApi", settings, cancellationToken).ConfigureAwait(false);
                api = (JsonObject)created["graphqlApi"]!;
                var made = (string)api["apiId"]!;
                undo.Add(() => appsync.InvokeAsync("DeleteGraphqlApi", new JsonObject { ["apiId"] = made }, CancellationToken.None));
            }
            else
            {
                settings["apiId"] = (string)api["apiId"]!;
                var updated = await appsync.InvokeAsync("UpdateGraphqlApi", settings, cancellationToken).ConfigureAwait(false);
                api = (JsonObject)updated["graphqlApi"]!;
            }

            var apiId = (string)api["apiId"]!;
            var schema = config.TransformSchema ?? "";
            if (schema.Length > 0)
            {
                await DeploySchemaAsync(appsync, apiId, transformer.Transform(schema), cancellationToken).ConfigureAwait(false);
            }

            var apiKey = NeedsKey(config)
                ? await EnsureKeyAsync(appsync, apiId, config, cancellationToken).ConfigureAwait(false)
                : null;
            var tables = schema.Length > 0
                ? ModelTables.WithRelations(ModelTables.FromIntrospection(schemaTools.GenerateModels(schema).Introspection),
                    transformer.RelationIndexes(schema))
                : [];
            foreach (var table in tables)
            {
                if (await CreateTableAsync(dynamo, table, table.TableName(apiId, task.Environment), tags, cancellationToken)
                    .ConfigureAwait(false) is { } madeTable)
                {
                    undo.Add(() => dynamo.DeleteTableAsync(madeTable, CancellationToken.None));
                }
            }

            foreach (var stale in await ListTablesAsync(dynamo, apiId, task.Environment, cancellationToken).ConfigureAwait(false))
            {
                if (!tables.Any(t => t.TableName(apiId, task.Environment) == stale))
                {
                    await DeleteTableAsync(dynamo, stale, cancellationToken).ConfigureAwait(false);
                }
            }

            await ResolveAsync(task, apiId, tables, skipped, cancellationToken).ConfigureAwait(false);
            var real = new ApiOutputs { GraphQLAPIIdOutput = apiId, GraphQLAPIKeyOutput = apiKey };
            var outputs = EmulatedOutputs.Api(task.Partition, config, real);
            outputs = outputs with { GraphQLAPIEndpointOutput = (string?)api["uris"]?["GRAPHQL"] ?? outputs.GraphQLAPIEndpointOutput };
            return ProvisionOutcome.Done(outputs.ToDocument(), skipped);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            for (var i = undo.Count - 1; i >= 0; i--)
            {
                try
                {
                    await undo[i]().ConfigureAwait(false);
                }
                catch (Exception undoFailure) when (Failure(undoFailure) is not null)
                {
                    // Best effort: what stays carries its tags, and a repeated create finds it.
                }
            }

            return ProvisionOutcome.Failed(failure, skipped);
        }
    }

    public async Task<ProvisionOutcome> DeleteAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var outputs = ApiOutputs.From(task.Work.Outputs ?? []);
        if (outputs.GraphQLAPIIdOutput is not { } apiId)
        {
            return ProvisionOutcome.Done(null);
        }

        try
        {
            var dynamo = Dynamo(task.Partition.Region);
            foreach (var table in await ListTablesAsync(dynamo, apiId, task.Environment, cancellationToken).ConfigureAwait(false))
            {
                await DeleteTableAsync(dynamo, table, cancellationToken).ConfigureAwait(false);
            }

            // Asked first: already gone is fine, and moto answers DeleteGraphqlApi of an API it does not have with a 500 (a
            // delete resumed after a crash, or the API removed by hand, failed the job).
            var appsync = clients.For(ProvisioningModels.AppSync, task.Partition.Region);
            if (await GetApiAsync(appsync, apiId, cancellationToken).ConfigureAwait(false) is not null)
            {
                try
                {
                    await appsync.InvokeAsync("DeleteGraphqlApi", new JsonObject { ["apiId"] = apiId }, cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when (Steps.NotFound(ex))
                {
                }
            }

            return ProvisionOutcome.Done(null);
        }
        catch (Exception ex) when (Failure(ex) is { } failure)
        {
            return ProvisionOutcome.Failed(failure);
        }
    }

    /// <summary>CreateGraphqlApi's (and UpdateGraphqlApi's) settings: the name and the auth modes.</summary>
    internal static JsonObject ApiInput(BackendAPIResourceConfig config, string name)
    {
        var input = new JsonObject { ["name"] = name };
        var defaultMode = config.DefaultAuthType ?? new BackendAPIAuthType { Mode = Mode.ApiKey };
        WriteMode(input, defaultMode, isDefault: true);
        var additional = (config.AdditionalAuthTypes ?? []).OfType<BackendAPIAuthType>().Where(a => a.Mode is not null).ToList();
        if (additional.Count > 0)
        {
            input["additionalAuthenticationProviders"] =
                new JsonArray([.. additional.Select(a => (JsonNode)WriteMode(new JsonObject(), a, isDefault: false))]);
        }

        return input;
    }

    private static JsonObject WriteMode(JsonObject target, BackendAPIAuthType mode, bool isDefault)
    {
        target["authenticationType"] = mode.Mode;
        var settings = mode.Settings;
        if (mode.Mode == Mode.AmazonCognitoUserPools && settings?.CognitoUserPoolId is { } poolId)
        {
            var region = poolId.Split('_')[0];
            var pool = new JsonObject { ["userPoolId"] = poolId, ["awsRegion"] = region };
            if (isDefault)
            {
                pool["defaultAction"] = "ALLOW";
            }

            target["userPoolConfig"] = pool;
        }
        else if (mode.Mode == Mode.OpenidConnect && settings?.OpenIDIssueURL is { } issuer)
        {
            var oidc = new JsonObject { ["issuer"] = issuer };
            if (settings.OpenIDClientId is { } clientId)
            {
                oidc["clientId"] = clientId;
            }

            target["openIDConnectConfig"] = oidc;
        }

        return target;
    }

    private static bool NeedsKey(BackendAPIResourceConfig config) =>
        (config.DefaultAuthType?.Mode ?? Mode.ApiKey) == Mode.ApiKey
        || (config.AdditionalAuthTypes ?? []).Any(a => a?.Mode == Mode.ApiKey);

    private static async Task<JsonObject?> GetApiAsync(AwsServiceClient appsync, string apiId, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await appsync.InvokeAsync("GetGraphqlApi", new JsonObject { ["apiId"] = apiId }, cancellationToken)
                .ConfigureAwait(false);
            return answer["graphqlApi"] as JsonObject;
        }
        catch (AwsServiceException ex) when (Steps.NotFound(ex))
        {
            return null;
        }
    }

    private static async Task<JsonObject?> FindApiAsync(AwsServiceClient appsync, string name, string resourceKey,
        CancellationToken cancellationToken)
    {
        await foreach (var listed in Listing.AllAsync(appsync, "ListGraphqlApis", [], "graphqlApis", "maxResults", 25, "nextToken",
            cancellationToken).ConfigureAwait(false))
        {
            if ((string?)listed["name"] == name && (string?)listed["tags"]?[Naming.ResourceTag] == resourceKey)
            {
                return listed.AsObject();
            }
        }

        return null;
    }

    /// <summary>StartSchemaCreation, then GetSchemaCreationStatus until it leaves PROCESSING (within a deadline).</summary>
    private static async Task DeploySchemaAsync(AwsServiceClient appsync, string apiId, string schema, CancellationToken cancellationToken)
    {
        await appsync.InvokeAsync("StartSchemaCreation", new JsonObject
        {
            ["apiId"] = apiId,
            ["definition"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(schema)),
        }, cancellationToken).ConfigureAwait(false);
        var waited = Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var status = await appsync.InvokeAsync("GetSchemaCreationStatus", new JsonObject { ["apiId"] = apiId }, cancellationToken)
                .ConfigureAwait(false);
            switch ((string?)status["status"])
            {
                case "PROCESSING" or "NOT_APPLICABLE" when waited.Elapsed < SchemaDeadline:
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
                    continue;
                case "SUCCESS" or "ACTIVE":
                    return;
                case var other:
                    throw new SchemaDeployException(
                        $"AppSync did not take the schema ({other ?? "no status"}): {(string?)status["details"]}");
            }
        }
    }

    private static async Task<string> EnsureKeyAsync(AwsServiceClient appsync, string apiId, BackendAPIResourceConfig config,
        CancellationToken cancellationToken)
    {
        var keys = await appsync.InvokeAsync("ListApiKeys", new JsonObject { ["apiId"] = apiId }, cancellationToken)
            .ConfigureAwait(false);
        if ((keys["apiKeys"]?.AsArray() ?? []).FirstOrDefault() is { } key)
        {
            return (string)key["id"]!;
        }

        var days = (config.DefaultAuthType?.Mode == Mode.ApiKey ? config.DefaultAuthType : config.AdditionalAuthTypes?.FirstOrDefault(
            a => a?.Mode == Mode.ApiKey))?.Settings?.ExpirationTime ?? 7;
        var created = await appsync.InvokeAsync("CreateApiKey", new JsonObject
        {
            ["apiId"] = apiId,
            ["description"] = "Made by Ampstack",
            ["expires"] = DateTimeOffset.UtcNow.AddDays(Math.Clamp(days, 1, 365)).ToUnixTimeSeconds(),
        }, cancellationToken).ConfigureAwait(false);
        return (string)created["apiKey"]!["id"]!;
    }

    /// <summary>Makes the table unless it is there; returns its name when this call made it.</summary>
    private static async Task<string?> CreateTableAsync(AmazonDynamoDBClient dynamo, ModelTable table, string name, JsonObject tags,
        CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DescribeTableAsync(name, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ResourceNotFoundException)
        {
        }

        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = Key(table.HashKey, table.RangeKey),
            AttributeDefinitions = [.. table.AttributeTypes.Select(a => new AttributeDefinition(a.Key, new ScalarAttributeType(a.Value)))],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
            Tags = [.. tags.Select(t => new Tag { Key = t.Key, Value = (string?)t.Value })],
        };
        if (table.Indexes.Count > 0)
        {
            request.GlobalSecondaryIndexes = [.. table.Indexes.Select(i => new GlobalSecondaryIndex
            {
                IndexName = i.Name,
                KeySchema = Key(i.HashKey, i.RangeKey),
                Projection = new Projection { ProjectionType = ProjectionType.ALL },
            })];
        }

        try
        {
            await dynamo.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
            return name;
        }
        catch (ResourceInUseException)
        {
            return null; // made by an earlier run of this job, between the check and the create
        }
    }

    private static List<KeySchemaElement> Key(string hash, string? range) => range is null
        ? [new KeySchemaElement(hash, KeyType.HASH)]
        : [new KeySchemaElement(hash, KeyType.HASH), new KeySchemaElement(range, KeyType.RANGE)];

    /// <summary>The tables of this API in this environment: named <c>Model-apiId-env</c>.</summary>
    private static async Task<List<string>> ListTablesAsync(AmazonDynamoDBClient dynamo, string apiId, string environment,
        CancellationToken cancellationToken)
    {
        var suffix = $"-{apiId}-{environment}";
        var found = new List<string>();
        string? start = null;
        do
        {
            var request = new ListTablesRequest { ExclusiveStartTableName = start, Limit = 100 };
            var page = await dynamo.ListTablesAsync(request, cancellationToken).ConfigureAwait(false);
            found.AddRange((page.TableNames ?? []).Where(t => t.EndsWith(suffix, StringComparison.Ordinal)));
            start = page.LastEvaluatedTableName;
        }
        while (start is not null);

        return found;
    }

    private static async Task DeleteTableAsync(AmazonDynamoDBClient dynamo, string name, CancellationToken cancellationToken)
    {
        try
        {
            await dynamo.DeleteTableAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceNotFoundException)
        {
        }
    }

    /// <summary>
    /// A DynamoDB data source and a list resolver per model, where the endpoint has them: a step it does not implement is
    /// skipped once for the API and named in <paramref name="skipped"/>.
    /// </summary>
    private async Task ResolveAsync(ProvisionTask task, string apiId, IReadOnlyList<ModelTable> tables, List<string> skipped,
        CancellationToken cancellationToken)
    {
        var once = clients.For(ProvisioningModels.AppSync, task.Partition.Region, once: true);
        foreach (var (operation, make) in new (string, Func<ModelTable, JsonObject>)[]
        {
            ("CreateDataSource", t => new JsonObject
            {
                ["apiId"] = apiId,
                ["name"] = $"{t.Model}Table",
                ["type"] = "AMAZON_DYNAMODB",
                ["dynamodbConfig"] = new JsonObject
                {
                    ["tableName"] = t.TableName(apiId, task.Environment),
                    ["awsRegion"] = task.Partition.Region,
                },
            }),
            ("CreateResolver", t => new JsonObject
            {
                ["apiId"] = apiId,
                ["typeName"] = "Query",
                ["fieldName"] = transformer.ListQuery(t.Model),
                ["dataSourceName"] = $"{t.Model}Table",
            }),
        })
        {
            foreach (var table in tables)
            {
                try
                {
                    await once.InvokeAsync(operation, make(table), cancellationToken).ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when (Steps.NotImplemented(ex))
                {
                    skipped.Add($"appsync {operation}");
                    break;
                }
                catch (AwsServiceException ex) when (ex.ErrorCode is "ConcurrentModificationException" or "BadRequestException"
                    && ex.ErrorMessage.Contains("already exists", StringComparison.OrdinalIgnoreCase))
                {
                    // Made by an earlier run of this job.
                }
            }
        }
    }

    private static string? Failure(Exception error) => error switch
    {
        AwsClientException e => Steps.Describe(e),
        SchemaDeployException e => e.Message,
        SchemaException e => "Amplify's transformer refuses the API's schema: " + e.Message,
        _ => SdkClients.Failure("DynamoDB", error),
    };

    private AmazonDynamoDBClient Dynamo(string region) => _dynamo.GetOrAdd(region, r =>
        new AmazonDynamoDBClient(SdkClients.Credentials(endpoint), SdkClients.Configure(new AmazonDynamoDBConfig(), endpoint, r)));

    public void Dispose()
    {
        foreach (var client in _dynamo.Values)
        {
            client.Dispose();
        }
    }

    private sealed class SchemaDeployException(string message) : Exception(message);
}
