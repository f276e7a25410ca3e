using System.Text.Json;
using System.Text.Json.Serialization;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources;
using Ampstack.Domain.State;
using Ampstack.Domain.Storage;
using Ampstack.Domain.Tokens;

namespace Ampstack.Host.Operator;

/// <summary>
/// A snapshot as one JSON document: <c>{"format": "ampstack-snapshot", "version": 1, "schemaVersion", "exportedAt",
/// "account", "apps": [...], "environments": [...], "resources": [...], "models": [...], "jobs": [...], "tokens": [...]}</c>.
/// Each record with its members in camelCase and its partition as <c>{"accountId", "region"}</c>; times in epoch
/// milliseconds as the store keeps them (token expiry in epoch seconds). Every member is present, null where empty (a
/// missing one refuses the document: it is written by an export, not by hand). The same document for both stores, so a
/// snapshot of a SQLite server imports into a PostgreSQL one.
/// </summary>
public static class SnapshotFormat
{
    public const string Name = "ampstack-snapshot";

    /// <summary>The format this build writes and the newest it reads.</summary>
    public const int Version = 1;

    public static Task WriteAsync(Stream destination, StoreContents contents, string? account, int schemaVersion, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var document = new SnapshotDocument(Name, Version, schemaVersion, at, contents.Apps, contents.Environments,
            contents.Resources, contents.Models, contents.Jobs, contents.Tokens, account);
        return JsonSerializer.SerializeAsync(destination, document, SnapshotJson.Default.SnapshotDocument, cancellationToken);
    }

    /// <summary>
    /// Composes a snapshot of <paramref name="account"/> (every account when null) and writes it: the store's schema
    /// version, its contents read in one transaction, the format. The one way a snapshot is made, for the route and both
    /// forms of the command; returns what was written.
    /// </summary>
    public static async Task<StoreContents> ExportAsync(IStoreAdmin store, string? account, Stream destination, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var status = await store.GetStatusAsync(cancellationToken).ConfigureAwait(false);
        var contents = await new StateService(store).ExportAsync(account, cancellationToken).ConfigureAwait(false);
        await WriteAsync(destination, contents, account, status.SchemaVersion, at, cancellationToken).ConfigureAwait(false);
        return contents;
    }

    /// <summary>Reads a snapshot; <see cref="SnapshotFormatException"/> says what is wrong with one that cannot be read.</summary>
    public static async Task<StoreContents> ReadAsync(Stream source, CancellationToken cancellationToken)
    {
        SnapshotDocument? document;
        try
        {
            document = await JsonSerializer.DeserializeAsync(source, SnapshotJson.Default.SnapshotDocument, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
        {
            throw new SnapshotFormatException($"Not an Ampstack snapshot: {ex.Message}", ex);
        }

        return Check(document);
    }

    /// <summary>
    /// Reads a snapshot of at most <paramref name="capacity"/> bytes (the caller bounds the stream) into one buffer of
    /// its own and parses it from there. Unlike <see cref="ReadAsync"/>, whose growing read buffer comes from the shared
    /// array pool and stays there at the size of the longest string once read, this buffer is garbage once parsed: a
    /// server's memory goes back to what it was after each import.
    /// </summary>
    public static async Task<StoreContents> ReadBufferedAsync(Stream source, long? length, long capacity,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var buffer = new MemoryStream((int)Math.Clamp(length ?? 0, 0, capacity));
        await source.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        SnapshotDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), SnapshotJson.Default.SnapshotDocument);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentOutOfRangeException)
        {
            throw new SnapshotFormatException($"Not an Ampstack snapshot: {ex.Message}", ex);
        }

        return Check(document);
    }

    private static StoreContents Check(SnapshotDocument? document)
    {
        if (document is null || document.Format != Name)
        {
            throw new SnapshotFormatException($"Not an Ampstack snapshot: \"format\" must be \"{Name}\".");
        }

        if (document.Version is < 1 or > Version)
        {
            throw new SnapshotFormatException(
                $"Snapshot format version {document.Version} is not one this build reads (1 to {Version}); use a newer Ampstack.");
        }

        if (document.Account is { } account)
        {
            if (!Domain.State.SnapshotRules.IsAccountId(account))
            {
                throw new SnapshotFormatException("Not an Ampstack snapshot: \"account\" must be a 12-digit AWS account id or null.");
            }

            var partitions = document.Apps.Select(a => a.Partition).Concat(document.Environments.Select(e => e.Partition))
                .Concat(document.Resources.Select(r => r.Partition)).Concat(document.Models.Select(m => m.Partition))
                .Concat(document.Jobs.Select(j => j.Partition)).Concat(document.Tokens.Select(t => t.Partition));
            if (partitions.FirstOrDefault(p => p.AccountId != account) is { AccountId: not null } other)
            {
                throw new SnapshotFormatException(
                    $"The snapshot is of account {account} but holds a record of another account ({Shorten(other.AccountId)}).");
            }
        }

        if (document.Jobs.FirstOrDefault(j => !JobStatus.IsKnown(j.Status)) is { } job)
        {
            throw new SnapshotFormatException(
                $"Job {Shorten(job.JobId)} has status \"{Shorten(job.Status)}\", not RUNNING, COMPLETED or FAILED.");
        }

        return new StoreContents(document.Apps, document.Environments, document.Resources, document.Models, document.Jobs,
            document.Tokens);
    }

    private static string Shorten(string text)
    {
        var printable = new string([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 64 ? printable + "..." : printable;
    }
}

/// <summary>A document that is not a snapshot this build reads.</summary>
public sealed class SnapshotFormatException(string message, Exception? inner = null) : Exception(message, inner);

internal sealed record SnapshotDocument(
    string Format,
    int Version,
    int SchemaVersion,
    DateTimeOffset ExportedAt,
    IReadOnlyList<AppRecord> Apps,
    IReadOnlyList<EnvironmentRecord> Environments,
    IReadOnlyList<ResourceRecord> Resources,
    IReadOnlyList<StoredModels> Models,
    IReadOnlyList<JobRecord> Jobs,
    IReadOnlyList<TokenRecord> Tokens,
    string? Account = null);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true,
    NumberHandling = JsonNumberHandling.Strict, Converters = [typeof(PartitionConverter), typeof(ResourceKindConverter)])]
[JsonSerializable(typeof(SnapshotDocument))]
internal sealed partial class SnapshotJson : JsonSerializerContext;

/// <summary>A partition as <c>{"accountId", "region"}</c> (not its derived ARN partition).</summary>
internal sealed class PartitionConverter : JsonConverter<Partition>
{
    public override Partition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A partition is an object {\"accountId\", \"region\"}.");
        }

        string? account = null, region = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException($"\"{name}\" is a string.");
            _ = name switch
            {
                "accountId" => account = value,
                "region" => region = value,
                _ => null,
            };
        }

        return account is { Length: > 0 } && region is { Length: > 0 }
            ? new Partition(account, region)
            : throw new JsonException("A partition needs \"accountId\" and \"region\".");
    }

    public override void Write(Utf8JsonWriter writer, Partition value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("accountId", value.AccountId);
        writer.WriteString("region", value.Region);
        writer.WriteEndObject();
    }
}

/// <summary>A resource kind as the store writes it: <c>auth</c>, <c>api</c>, <c>storage</c>.</summary>
internal sealed class ResourceKindConverter : JsonConverter<ResourceKind>
{
    public override ResourceKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() switch
        {
            "auth" => ResourceKind.Auth,
            "api" => ResourceKind.Api,
            "storage" => ResourceKind.Storage,
            var other => throw new JsonException(
                $"\"{(other is { Length: > 16 } ? other[..16] + "..." : other)}\" is not a resource kind (auth, api, storage)."),
        };

    public override void Write(Utf8JsonWriter writer, ResourceKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToStored());
}
