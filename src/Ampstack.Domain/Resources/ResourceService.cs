using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.Resources;

/// <summary>
/// Auth, API and storage resources of an environment. Configurations are kept exactly as given (model member names) and
/// round-trip member for member; updates merge over them; they are read only through the records generated from the
/// model (<see cref="Configurations"/>). Each change is written with its job.
/// </summary>
public sealed class ResourceService(IBackendStore store, JobService jobs, ISchemaTools schemaTools, PageTokenService pageTokens)
{
    private const int BucketPageSize = 100;

    // ---- auth ----

    public Task<JobRecord> CreateAuthAsync(Partition partition, string appId, string environment, string name, JsonObject config,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(environment, "backendEnvironmentName");
        Identifiers.Require(name, "resourceName");
        return jobs.StartAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            await RequireNoneOfKindAsync(tx, appId, environment, ResourceKind.Auth).ConfigureAwait(false);
            var job = await jobs.AcceptAsync(tx, appId, environment, "CreateBackendAuth",
                new JobWork(Provision: ProvisionWork.Create(ResourceKind.Auth, name))).ConfigureAwait(false);
            await tx.PutResourceAsync(new ResourceRecord(partition, appId, environment, ResourceKind.Auth, name, config,
                EmulatedOutputs.Auth(partition, environment, Configurations.ReadAuth(config)).ToDocument(), false, null,
                job.CreatedAt)).ConfigureAwait(false);
            return job;
        }, cancellationToken);
    }

    public Task<JobRecord> ImportAuthAsync(Partition partition, string appId, string environment, string userPoolId, string webClientId,
        string nativeClientId, string? identityPoolId, CancellationToken cancellationToken)
    {
        Identifiers.Require(userPoolId, "userPoolId");
        Identifiers.Require(webClientId, "webClientId");
        Identifiers.Require(nativeClientId, "nativeClientId");
        if (identityPoolId is not null)
        {
            Identifiers.Require(identityPoolId, "identityPoolId");
        }

        return jobs.StartAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            await RequireNoneOfKindAsync(tx, appId, environment, ResourceKind.Auth).ConfigureAwait(false);
            var job = await jobs.AcceptAsync(tx, appId, environment, "ImportBackendAuth",
                new JobWork(Provision: ProvisionWork.Import(ResourceKind.Auth, userPoolId))).ConfigureAwait(false);
            // Written member by member, in the order imports have always been stored in (not the model's), with the model's
            // member names and values: a model rename breaks the build here too.
            var config = new JsonObject
            {
                [nameof(CreateBackendAuthResourceConfig.AuthResources)] =
                    identityPoolId is null ? AuthResources.UserPoolOnly : AuthResources.IdentityPoolAndUserPool,
                [nameof(CreateBackendAuthResourceConfig.Service)] = Service.Cognito,
                [nameof(CreateBackendAuthResourceConfig.UserPoolConfigs)] = new JsonObject
                {
                    [nameof(CreateBackendAuthUserPoolConfig.RequiredSignUpAttributes)] = new JsonArray(),
                    [nameof(CreateBackendAuthUserPoolConfig.SignInMethod)] = SignInMethod.Username,
                    [nameof(CreateBackendAuthUserPoolConfig.UserPoolName)] = userPoolId,
                },
            };
            if (identityPoolId is not null)
            {
                config[nameof(CreateBackendAuthResourceConfig.IdentityPoolConfigs)] = new JsonObject
                {
                    [nameof(CreateBackendAuthIdentityPoolConfig.IdentityPoolName)] = identityPoolId,
                    [nameof(CreateBackendAuthIdentityPoolConfig.UnauthenticatedLogin)] = false,
                };
            }

            await tx.PutResourceAsync(new ResourceRecord(partition, appId, environment, ResourceKind.Auth, userPoolId, config,
                EmulatedOutputs.ImportedAuth(partition, userPoolId, webClientId, nativeClientId, identityPoolId).ToDocument(), true,
                null, job.CreatedAt)).ConfigureAwait(false);
            return job;
        }, cancellationToken);
    }

    // ---- API ----

    /// <summary>
    /// CreateBackendAPI. A transformSchema that is not valid GraphQL is accepted as a job that fails, and nothing is stored;
    /// one over <see cref="SchemaLimits"/> is refused (400). The schema is parsed before the write lock is taken.
    /// </summary>
    public Task<JobRecord> CreateApiAsync(Partition partition, string appId, string environment, string name, JsonObject config,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(environment, "backendEnvironmentName");
        Identifiers.Require(name, "resourceName");
        var api = Configurations.ReadApi(config);
        var failure = SchemaFailure(api);
        return jobs.StartAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            if (await tx.GetResourceAsync(appId, environment, ResourceKind.Api, name).ConfigureAwait(false) is not null)
            {
                throw DomainException.Invalid($"The API {name} already exists in backend environment {environment}.");
            }

            var job = await jobs.AcceptAsync(tx, appId, environment, "CreateBackendAPI",
                new JobWork(FailureReason: failure, Provision: ProvisionWork.Create(ResourceKind.Api, name)))
                .ConfigureAwait(false);
            if (failure is null)
            {
                await tx.PutResourceAsync(new ResourceRecord(partition, appId, environment, ResourceKind.Api, name, config,
                    EmulatedOutputs.Api(partition, api).ToDocument(), false, null, job.CreatedAt)).ConfigureAwait(false);
            }

            return job;
        }, cancellationToken);
    }

    /// <summary>UpdateBackendAPI: merges the update over the stored configuration; a new transformSchema is checked as on create.</summary>
    public Task<JobRecord> UpdateApiAsync(Partition partition, string appId, string environment, string name, JsonObject? update,
        CancellationToken cancellationToken)
    {
        // The stored schema passed these checks when it was stored; only a schema the update brings needs them.
        var failure = update is null ? null : SchemaFailure(Configurations.ReadApi(update));
        return jobs.StartAsync(partition, async tx =>
        {
            var api = await RequireAsync(tx, appId, environment, ResourceKind.Api, name).ConfigureAwait(false);
            var merged = JsonMerge.Merge(api.Config, update ?? []);
            var job = await jobs.AcceptAsync(tx, appId, environment, "UpdateBackendAPI",
                new JobWork(FailureReason: failure, Provision: ProvisionWork.Update(ResourceKind.Api, name)))
                .ConfigureAwait(false);
            if (failure is null)
            {
                var outputs = EmulatedOutputs.Api(partition, Configurations.ReadApi(merged), api.ReadApiOutputs());
                var updated = api with { Config = merged, Outputs = outputs.ToDocument() };
                await tx.PutResourceAsync(updated).ConfigureAwait(false);
            }

            return job;
        }, cancellationToken);
    }

    public Task<JobRecord> GenerateModelsAsync(Partition partition, string appId, string environment, string name,
        CancellationToken cancellationToken) =>
        jobs.StartAsync(partition, async tx =>
        {
            await RequireAsync(tx, appId, environment, ResourceKind.Api, name).ConfigureAwait(false);
            return await jobs.AcceptAsync(tx, appId, environment, "GenerateBackendAPIModels",
                new JobWork(GenerateModelsFor: name)).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>GetBackendAPIModels: the last generated models, and whether they match the current schema.</summary>
    public Task<(GeneratedModels? Models, bool Latest)> GetModelsAsync(Partition partition, string appId, string environment, string name,
        CancellationToken cancellationToken) =>
        store.ReadAsync(partition, async tx =>
        {
            var api = await RequireAsync(tx, appId, environment, ResourceKind.Api, name).ConfigureAwait(false);
            var models = await tx.GetModelsAsync(appId, environment, name).ConfigureAwait(false);
            var schema = api.ReadApiConfig().TransformSchema;
            var latest = models is not null && schema is not null && SchemaHash.Of(schema) == models.SchemaHash;
            return (models, latest);
        }, cancellationToken);

    // ---- storage ----

    public Task<JobRecord> CreateStorageAsync(Partition partition, string appId, string environment, string name, JsonObject config,
        CancellationToken cancellationToken)
    {
        Identifiers.Require(environment, "backendEnvironmentName");
        Identifiers.Require(name, "resourceName");
        var bucket = Configurations.ReadStorage(config).BucketName is { } given
            ? Identifiers.RequireBucketName(given, "resourceConfig.bucketName")
            : EmulatedOutputs.BucketName(name, environment);
        return AddStorageAsync(partition, appId, environment, name, config, bucket, imported: false, "CreateBackendStorage",
            cancellationToken);
    }

    /// <summary>ImportBackendStorage: records an existing bucket as the environment's storage (named after the bucket).</summary>
    public Task<JobRecord> ImportStorageAsync(Partition partition, string appId, string environment, string? bucketName, JsonObject config,
        CancellationToken cancellationToken)
    {
        if (bucketName is null)
        {
            throw DomainException.Invalid("Missing 'bucketName': name the S3 bucket to import.");
        }

        Identifiers.RequireBucketName(bucketName, "bucketName");
        return AddStorageAsync(partition, appId, environment, bucketName, config, bucketName, imported: true, "ImportBackendStorage",
            cancellationToken);
    }

    private Task<JobRecord> AddStorageAsync(Partition partition, string appId, string environment, string name, JsonObject config,
        string bucket, bool imported, string operation, CancellationToken cancellationToken) =>
        jobs.StartAsync(partition, async tx =>
        {
            await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
            await RequireNoneOfKindAsync(tx, appId, environment, ResourceKind.Storage).ConfigureAwait(false);
            var provision = imported ? ProvisionWork.Import(ResourceKind.Storage, name) : ProvisionWork.Create(ResourceKind.Storage, name);
            var job = await jobs.AcceptAsync(tx, appId, environment, operation, new JobWork(Provision: provision))
                .ConfigureAwait(false);
            await tx.PutResourceAsync(new ResourceRecord(partition, appId, environment, ResourceKind.Storage, name, config,
                EmulatedOutputs.Storage(partition, bucket).ToDocument(), imported, bucket, job.CreatedAt)).ConfigureAwait(false);
            return job;
        }, cancellationToken);

    /// <summary>ListS3Buckets: the partition's buckets by name, 100 a page.</summary>
    public async Task<(IReadOnlyList<BucketInfo> Buckets, string? NextToken)> ListBucketsAsync(Partition partition, string? nextToken,
        CancellationToken cancellationToken)
    {
        var context = $"buckets\n{partition}";
        var tokens = await pageTokens.GetAsync(cancellationToken).ConfigureAwait(false);
        var after = nextToken is null ? null : tokens.Read(nextToken, context, "nextToken");
        return await store.ReadAsync(partition, async tx =>
        {
            var page = await tx.ListBucketsAsync(after, BucketPageSize + 1).ConfigureAwait(false);
            return page.Count <= BucketPageSize
                ? (page, (string?)null)
                : ((IReadOnlyList<BucketInfo>)page.Take(BucketPageSize).ToList(), tokens.Issue(context, page[BucketPageSize - 1].Name));
        }, cancellationToken).ConfigureAwait(false);
    }

    // ---- shared by every kind ----

    public Task<ResourceRecord> GetAsync(Partition partition, string appId, string environment, ResourceKind kind, string name,
        CancellationToken cancellationToken) =>
        store.ReadAsync(partition, tx => RequireAsync(tx, appId, environment, kind, name), cancellationToken);

    /// <summary>
    /// Update{Auth,Storage}: merges the given members over the stored configuration; auth outputs follow the new
    /// configuration (an added identity pool or hosted UI appears) while the identifiers already handed out stay.
    /// </summary>
    public Task<JobRecord> UpdateAsync(Partition partition, string appId, string environment, ResourceKind kind, string name,
        JsonObject update, string operation, CancellationToken cancellationToken) =>
        jobs.StartAsync(partition, async tx =>
        {
            var resource = await RequireAsync(tx, appId, environment, kind, name).ConfigureAwait(false);
            var provision = resource.Imported ? null : ProvisionWork.Update(kind, name);
            var job = await jobs.AcceptAsync(tx, appId, environment, operation, new JobWork(Provision: provision))
                .ConfigureAwait(false);
            var merged = JsonMerge.Merge(resource.Config, update);
            var outputs = kind == ResourceKind.Auth && !resource.Imported
                ? EmulatedOutputs.Auth(partition, environment, Configurations.ReadAuth(merged), resource.ReadAuthOutputs()).ToDocument()
                : resource.Outputs;
            await tx.PutResourceAsync(resource with { Config = merged, Outputs = outputs }).ConfigureAwait(false);
            return job;
        }, cancellationToken);

    public Task<JobRecord> DeleteAsync(Partition partition, string appId, string environment, ResourceKind kind, string name,
        string operation, CancellationToken cancellationToken) =>
        jobs.StartAsync(partition, async tx =>
        {
            var resource = await RequireAsync(tx, appId, environment, kind, name).ConfigureAwait(false);
            var job = await jobs.AcceptAsync(tx, appId, environment, operation,
                new JobWork(Provision: ProvisionWork.Delete(resource))).ConfigureAwait(false);
            await tx.DeleteResourceAsync(appId, environment, kind, name).ConfigureAwait(false);
            return job;
        }, cancellationToken);

    /// <summary>A copy of a resource in another environment, with new emulated identifiers.</summary>
    public static ResourceRecord CloneInto(ResourceRecord resource, string environment, long now)
    {
        var p = resource.Partition;
        // The copy is not provisioned: the note of where the original was is not the copy's.
        var outputs = resource.Imported ? ProvisioningNote.Split(resource.Outputs).Outputs : resource.Kind switch
        {
            ResourceKind.Auth => EmulatedOutputs.Auth(p, environment, resource.ReadAuthConfig()).ToDocument(),
            ResourceKind.Api => EmulatedOutputs.Api(p, resource.ReadApiConfig()).ToDocument(),
            _ => resource.Outputs,
        };
        var bucket = resource.Kind == ResourceKind.Storage && !resource.Imported && resource.ReadStorageConfig().BucketName is null
            ? EmulatedOutputs.BucketName(resource.Name, environment)
            : resource.BucketName;
        if (bucket is not null)
        {
            outputs = EmulatedOutputs.Storage(p, bucket).ToDocument();
        }

        return resource with
        {
            Environment = environment,
            Config = (JsonObject)resource.Config.DeepClone(),
            Outputs = (JsonObject)outputs.DeepClone(),
            BucketName = bucket,
            CreatedAt = now,
        };
    }

    private static async ValueTask<ResourceRecord> RequireAsync(IStoreTransaction tx, string appId, string environment,
        ResourceKind kind, string name)
    {
        await EnvironmentLookup.RequireAsync(tx, appId, environment).ConfigureAwait(false);
        return await tx.GetResourceAsync(appId, environment, kind, name).ConfigureAwait(false)
            ?? throw DomainException.NotFound(NotFoundType(kind),
                $"{Refusals.Describe(kind)} {name} was not found in backend environment {environment} of app {appId}.");
    }

    private static async ValueTask RequireNoneOfKindAsync(IStoreTransaction tx, string appId, string environment,
        ResourceKind kind)
    {
        var resources = await tx.ListResourcesAsync(appId, environment).ConfigureAwait(false);
        if (resources.FirstOrDefault(r => r.Kind == kind) is { } existing)
        {
            throw Refusals.ResourceOfKindExists(environment, kind, existing.Name);
        }
    }

    /// <summary>
    /// The job failure for a configuration whose transformSchema is not valid GraphQL (null when valid or absent); throws
    /// the 400 when the schema is over <see cref="SchemaLimits"/>.
    /// </summary>
    private string? SchemaFailure(BackendAPIResourceConfig config)
    {
        if (config.TransformSchema is not { } schema)
        {
            return null;
        }

        const string Member = "resourceConfig.transformSchema";
        if (schema.Length > SchemaLimits.MaxSchemaChars)
        {
            throw DomainException.Invalid(
                $"Invalid '{Member}': it is {schema.Length} characters long; the limit is {SchemaLimits.MaxSchemaChars}.");
        }

        var check = schemaTools.Check(schema);
        if (check.ModelCount > SchemaLimits.MaxModels)
        {
            throw DomainException.Invalid(
                $"Invalid '{Member}': it defines {check.ModelCount} @model types; the limit is {SchemaLimits.MaxModels}.");
        }

        return check.SyntaxError is { } error ? "The transformSchema is not valid GraphQL: " + error : null;
    }

    private static string NotFoundType(ResourceKind kind) => kind switch
    {
        ResourceKind.Auth => ResourceTypes.BackendAuth,
        ResourceKind.Api => ResourceTypes.BackendApi,
        _ => ResourceTypes.BackendStorage,
    };
}
