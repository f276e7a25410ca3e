using Ampstack.Domain.Common;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Postgres;
using Ampstack.Tests.Shared;
using Npgsql;

namespace Ampstack.Storage.Tests;

/// <summary>A PostgreSQL database an earlier Ampstack wrote is brought to the current schema with its rows kept.</summary>
public sealed class PostgresMigrationTests : IAsyncLifetime
{
    private static readonly Partition P = new("000000000000", "us-east-1");
    private readonly string _database = TestPostgres.NewDatabaseName("migration");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestPostgres.DropAsync(_database);

    [Fact]
    public async Task A_version_1_database_keeps_its_models_and_resources_and_gains_the_constraints()
    {
        await using (var admin = new NpgsqlConnection(TestPostgres.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }

        await using (var connection = new NpgsqlConnection(TestPostgres.ConnectionString(_database)))
        {
            await connection.OpenAsync();
            var version1 = Script("Migrations.0001_initial.sql") + """

                CREATE TABLE ampstack_schema (version INT NOT NULL);
                INSERT INTO ampstack_schema VALUES (1);
                INSERT INTO resources (account, region, app_id, environment, kind, name, config, outputs, imported, bucket_name,
                    created_at, models)
                VALUES ('000000000000', 'us-east-1', 'app', 'dev', 'api', 'api', '{}', '{}', false, NULL, 1,
                    '{"schemaJs":"export const schema = {};","introspection":"{\"version\":1}","schemaHash":"h1"}'),
                    ('000000000000', 'us-east-1', 'app', 'dev', 'auth', 'pool', '{}', '{}', false, NULL, 2, NULL);
                """;
            await using var command = new NpgsqlCommand(version1, connection);
            await command.ExecuteNonQueryAsync();
        }

        using var store = await PostgresBackendStore.OpenAsync(TestPostgres.ConnectionString(_database), default);
        var (models, resources) = await store.ReadAsync(
            async tx => (await tx.GetModelsAsync(P, "app", "dev", "api"), await tx.ListResourcesAsync(P, "app", "dev")), default);
        Assert.Equal(new GeneratedModels("export const schema = {};", """{"version":1}""", "h1"), models);
        Assert.Equal(["api", "pool"], resources.Select(r => r.Name));
        var conflict = await Assert.ThrowsAsync<StoreConflictException>(() => store.WriteAsync(async tx =>
        {
            await tx.PutResourceAsync(new ResourceRecord(P, "app", "dev", ResourceKind.Auth, "other", [], [], false, null, 3));
            return 0;
        }, default));
        Assert.Equal(StoreConflict.ResourceOfKind, conflict.Conflict);
        Assert.Equal(6, PostgresBackendStore.LatestSchemaVersion);
    }

    private static string Script(string name)
    {
        using var stream = typeof(PostgresBackendStore).Assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
