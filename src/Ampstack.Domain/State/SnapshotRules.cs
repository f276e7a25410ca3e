using System.Text.Json;
using System.Text.Json.Nodes;
using Ampstack.Domain.Common;
using Ampstack.Domain.Hosting;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Storage;

namespace Ampstack.Domain.State;

/// <summary>
/// The service's own rules and limits, applied to a whole snapshot before any of it is written: an import may bring in
/// only what the API could have made. Ids as the API checks them (<see cref="Identifiers"/>: 1 to 255 characters, no
/// control characters; job and session ids the UUIDs the service hands out; 12-digit accounts; region names), texts and
/// JSON members within what one request can carry, every key once (the store's keys and the service's "one pending job",
/// "one auth and one storage resource" rules). A refusal is a <see cref="DomainException"/> whose words name the record
/// (<c>tokens[3]</c>) and its member.
/// </summary>
public static class SnapshotRules
{
    /// <summary>
    /// The most characters (of strings and member names) in one JSON member of a record (a resource's configuration, an
    /// environment's outputs, ...): twice what one 1 MiB request can bring, as updates merge into a configuration.
    /// </summary>
    public const int MaxJsonChars = 2 * 1024 * 1024;

    /// <summary>How deep one JSON member nests: the API's request limit.</summary>
    public const int MaxJsonDepth = 32;

    /// <summary>
    /// The longest free text of a record (a job's operation, which UpdateBackendJob may set to any string, or its error),
    /// in characters: what one 1 MiB request can carry.
    /// </summary>
    public const int MaxTextChars = 1024 * 1024;

    /// <summary>Throws <see cref="DomainException"/> naming the first record and member that breaks a rule.</summary>
    public static void Check(StoreContents contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var keys = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < contents.Apps.Count; i++)
        {
            var (app, at) = (contents.Apps[i], $"apps[{i}]");
            Partition(app.Partition, at);
            Id(app.AppId, at, "appId");
            Id(app.AppName, at, "appName");
            Time(app.CreatedAt, at, "createdAt");
            if (app.AdminUi is { } ui)
            {
                if (ui.BackendManagerAppId is { } manager)
                {
                    Id(manager, at, "adminUi.backendManagerAppId");
                }

                Json(ui.LoginAuthConfig, at, "adminUi.loginAuthConfig");
                Fits(at, "adminUi.loginAuthConfig", () => Configurations.ReadLogin(ui.LoginAuthConfig));
            }

            if (app.Hosting is { } hosting)
            {
                Hosting(hosting, at);
            }

            Once(keys, Key("app", app.Partition, app.AppId), at, $"app {app.AppId} is in the snapshot twice");
        }

        for (var i = 0; i < contents.Environments.Count; i++)
        {
            var (environment, at) = (contents.Environments[i], $"environments[{i}]");
            Partition(environment.Partition, at);
            Id(environment.AppId, at, "appId");
            Id(environment.Name, at, "name");
            Time(environment.CreatedAt, at, "createdAt");
            Json(environment.Provider, at, "provider");
            Fits(at, "provider", environment.ReadRootStack);
            Once(keys, Key("environment", environment.Partition, environment.AppId, environment.Name), at,
                Refusals.EnvironmentExists(environment.AppId, environment.Name).Message);
        }

        for (var i = 0; i < contents.Resources.Count; i++)
        {
            var (resource, at) = (contents.Resources[i], $"resources[{i}]");
            Partition(resource.Partition, at);
            Id(resource.AppId, at, "appId");
            Id(resource.Environment, at, "environment");
            Id(resource.Name, at, "name");
            Time(resource.CreatedAt, at, "createdAt");
            Json(resource.Config, at, "config");
            Json(resource.Outputs, at, "outputs");
            switch (resource.Kind)
            {
                case ResourceKind.Auth:
                    Fits(at, "config", resource.ReadAuthConfig);
                    Fits(at, "outputs", resource.ReadAuthOutputs);
                    break;
                case ResourceKind.Api:
                    Fits(at, "outputs", resource.ReadApiOutputs);
                    if (Fits(at, "config", resource.ReadApiConfig).TransformSchema is { } schema
                        && schema.Length > SchemaLimits.MaxSchemaChars)
                    {
                        throw Refused(at,
                            $"'config.TransformSchema' is {schema.Length} characters long; the limit is {SchemaLimits.MaxSchemaChars}.");
                    }

                    break;
                default:
                    Fits(at, "config", resource.ReadStorageConfig);
                    Fits(at, "outputs", resource.ReadStorageOutputs);
                    break;
            }

            if (resource.BucketName is { } bucket)
            {
                Rule(at, () => Identifiers.RequireBucketName(bucket, "bucketName"));
            }

            var stored = resource.Kind.ToStored();
            Once(keys, Key("resource", resource.Partition, resource.AppId, resource.Environment, stored, resource.Name), at,
                $"resource {stored} {resource.Name} of environment {resource.Environment} is in the snapshot twice.");
            if (resource.Kind != ResourceKind.Api)
            {
                Once(keys, Key("one-of-kind", resource.Partition, resource.AppId, resource.Environment, stored), at,
                    Refusals.ResourceOfKindExists(resource.Environment, resource.Kind, null).Message);
            }
        }

        for (var i = 0; i < contents.Models.Count; i++)
        {
            var (models, at) = (contents.Models[i], $"models[{i}]");
            Partition(models.Partition, at);
            Id(models.AppId, at, "appId");
            Id(models.Environment, at, "environment");
            Id(models.ApiName, at, "apiName");
            Id(models.Models.SchemaHash, at, "models.schemaHash");
            var size = (long)models.Models.SchemaJs.Length + models.Models.Introspection.Length;
            if (size > SchemaLimits.MaxModelsChars)
            {
                throw Refused(at,
                    $"'models' are {size} characters long (schemaJs and introspection); the limit is {SchemaLimits.MaxModelsChars}.");
            }

            NoNul(models.Models.SchemaJs, at, "models.schemaJs");
            NoNul(models.Models.Introspection, at, "models.introspection");
            Once(keys, Key("models", models.Partition, models.AppId, models.Environment, models.ApiName), at,
                $"the models of API {models.ApiName} of environment {models.Environment} are in the snapshot twice.");
        }

        for (var i = 0; i < contents.Jobs.Count; i++)
        {
            var (job, at) = (contents.Jobs[i], $"jobs[{i}]");
            Partition(job.Partition, at);
            Id(job.AppId, at, "appId");
            Id(job.Environment, at, "environment");
            Uuid(job.JobId, at, "jobId");
            // Free text, as UpdateBackendJob takes it, and as short: the stores index it.
            Rule(at, () => TextRules.RequireIndexable(job.Operation, "operation"));
            if (!JobStatus.IsKnown(job.Status))
            {
                throw Refused(at, $"'status' must be RUNNING, COMPLETED or FAILED.");
            }

            Text(job.Error, at, "error");
            Text(job.Work.FailureReason, at, "work.failureReason");
            if (job.Work.GenerateModelsFor is { } api)
            {
                Id(api, at, "work.generateModelsFor");
            }

            Time(job.CreatedAt, at, "createdAt");
            Time(job.UpdatedAt, at, "updatedAt");
            Time(job.DueAt ?? 0, at, "dueAt");
            Once(keys, Key("job", job.Partition, job.AppId, job.JobId), at, $"job {job.JobId} is in the snapshot twice.");
            if (job.Status == JobStatus.Running)
            {
                Once(keys, Key("pending", job.Partition, job.AppId, job.Environment), at,
                    Refusals.PendingJob(job.AppId, job.Environment).Message);
            }
        }

        for (var i = 0; i < contents.Tokens.Count; i++)
        {
            var (token, at) = (contents.Tokens[i], $"tokens[{i}]");
            Partition(token.Partition, at);
            Id(token.AppId, at, "appId");
            Uuid(token.SessionId, at, "sessionId");
            Id(token.ChallengeCode, at, "challengeCode");
            Time(token.ExpiresAt, at, "expiresAt");
            Once(keys, Key("token", token.Partition, token.AppId, token.SessionId), at,
                $"session {token.SessionId} of app {token.AppId} is in the snapshot twice.");
        }
    }

    /// <summary>An AWS account id: 12 digits.</summary>
    public static bool IsAccountId(string? value) => value is { Length: 12 } && value.All(char.IsAsciiDigit);

    /// <summary>A region name as the signing region must be: 1 to 32 of a-z, 0-9 and '-', starting with a letter.</summary>
    public static bool IsRegionName(string? value) =>
        value is { Length: >= 1 and <= 32 } && char.IsAsciiLetterLower(value[0])
        && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static void Partition(Partition partition, string at)
    {
        if (!IsAccountId(partition.AccountId))
        {
            throw Refused(at, $"'partition.accountId' must be a 12-digit AWS account id, not '{Shorten(partition.AccountId)}'.");
        }

        if (!IsRegionName(partition.Region))
        {
            throw Refused(at, $"'partition.region' must be a region name (1 to 32 of a-z, 0-9, '-', starting with a letter), " +
                $"not '{Shorten(partition.Region)}'.");
        }
    }

    private static void Id(string value, string at, string member) => Rule(at, () => Identifiers.Require(value, member));

    private static void Uuid(string value, string at, string member)
    {
        if (!Guid.TryParseExact(value, "D", out _))
        {
            throw Refused(at,
                $"'{member}' must be a UUID as the service hands out (8-4-4-4-12 hexadecimal digits), not '{Shorten(value)}'.");
        }
    }

    private static void Time(long value, string at, string member)
    {
        if (value < 0)
        {
            throw Refused(at, $"'{member}' must not be negative.");
        }
    }

    private static void Text(string? value, string at, string member)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length > MaxTextChars)
        {
            throw Refused(at, $"'{member}' is {value.Length} characters long; the limit is {MaxTextChars}.");
        }

        NoNul(value, at, member);
    }

    /// <summary>Amplify Hosting's settings of an app: texts as any text, branch names as ids, each branch once.</summary>
    private static void Hosting(HostingSettings hosting, string at)
    {
        foreach (var (member, value) in new[]
        {
            ("description", hosting.Description), ("repository", hosting.Repository), ("platform", hosting.Platform),
            ("iamServiceRoleArn", hosting.IamServiceRoleArn), ("buildSpec", hosting.BuildSpec),
            ("customHeaders", hosting.CustomHeaders),
        })
        {
            Text(value, at, "hosting." + member);
        }

        Texts(hosting.EnvironmentVariables, at, "hosting.environmentVariables");
        Texts(hosting.Tags, at, "hosting.tags");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < hosting.Branches.Count; b++)
        {
            var (branch, where) = (hosting.Branches[b], $"hosting.branches[{b}]");
            Id(branch.Name, at, where + ".name");
            foreach (var (member, value) in new[]
            {
                ("description", branch.Description), ("stage", branch.Stage), ("framework", branch.Framework),
                ("displayName", branch.DisplayName), ("backendEnvironmentArn", branch.BackendEnvironmentArn),
            })
            {
                Text(value, at, $"{where}.{member}");
            }

            Texts(branch.EnvironmentVariables, at, where + ".environmentVariables");
            Texts(branch.Tags, at, where + ".tags");
            if (!names.Add(branch.Name))
            {
                throw Refused(at, $"branch {Shorten(branch.Name)} is in the app twice ({where}).");
            }
        }
    }

    private static void Texts(IReadOnlyDictionary<string, string> map, string at, string member)
    {
        foreach (var (key, value) in map)
        {
            Text(key, at, member);
            Text(value, at, $"{member}.{key}");
        }
    }

    /// <summary>No store keeps a NUL (U+0000) in text: the rule every request is held to (<see cref="TextRules"/>).</summary>
    private static void NoNul(string value, string at, string member)
    {
        if (!TextRules.IsStorable(value))
        {
            throw Refused(at, TextRules.NotStorableMessage(member));
        }
    }

    /// <summary>A JSON member: at most <see cref="MaxJsonDepth"/> deep and <see cref="MaxJsonChars"/> characters, no NUL.</summary>
    private static void Json(JsonObject value, string at, string member)
    {
        long chars = 0;
        var pending = new Stack<(JsonNode? Node, int Depth)>();
        pending.Push((value, 1));
        while (pending.TryPop(out var item))
        {
            if (item.Depth > MaxJsonDepth)
            {
                throw Refused(at, $"'{member}' nests JSON objects and arrays deeper than {MaxJsonDepth} levels.");
            }

            switch (item.Node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        chars += name.Length;
                        NoNul(name, at, member);
                        pending.Push((child, item.Depth + 1));
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        pending.Push((child, item.Depth + 1));
                    }

                    break;
                case JsonValue leaf when leaf.GetValueKind() == JsonValueKind.String:
                    var text = leaf.GetValue<string>();
                    chars += text.Length;
                    NoNul(text, at, member);
                    break;
            }

            if (chars > MaxJsonChars)
            {
                throw Refused(at, $"'{member}' holds more than {MaxJsonChars} characters; the limit is {MaxJsonChars}.");
            }
        }
    }

    /// <summary>
    /// Reads a JSON member as the domain reads it (a configuration through the model's records, outputs through theirs):
    /// a snapshot may hold only documents the domain can read, as the API made them.
    /// </summary>
    private static T Fits<T>(string at, string member, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (JsonException ex)
        {
            throw Refused(at, $"'{member}' does not have the members the service gives it: {ex.Message}");
        }
    }

    private static void Once(HashSet<string> keys, string key, string at, string message)
    {
        if (!keys.Add(key))
        {
            throw Refused(at, message);
        }
    }

    // Ids are at most 255 characters without control characters by the time they make a key, so '\n' separates them.
    private static string Key(string kind, Partition partition, params string[] parts) =>
        string.Join('\n', [kind, partition.AccountId, partition.Region, .. parts]);

    private static void Rule(string at, Action check)
    {
        try
        {
            check();
        }
        catch (DomainException ex)
        {
            throw Refused(at, ex.Message);
        }
    }

    private static DomainException Refused(string at, string rule) => DomainException.Invalid($"Snapshot record {at}: {rule}");

    private static string Shorten(string text)
    {
        var printable = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? printable + "..." : printable;
    }
}
