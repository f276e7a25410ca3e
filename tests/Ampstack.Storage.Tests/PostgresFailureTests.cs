using Ampstack.Storage.Postgres;
using Npgsql;

namespace Ampstack.Storage.Tests;

/// <summary>
/// How the PostgreSQL store classifies failures (run again, answer the retryable 429, or neither) and the deadlines it puts
/// on every connection. No server needed: <c>tests/conformance/test_database_faults.py</c> drives a real one.
/// </summary>
public class PostgresFailureTests
{
    private static PostgresException Server(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData(PostgresErrorCodes.CannotConnectNow)] // 57P03: starting up, shutting down, not yet accepting connections
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.AdminShutdown)]
    [InlineData(PostgresErrorCodes.ConnectionFailure)]
    [InlineData(PostgresErrorCodes.ConnectionException)]
    [InlineData(PostgresErrorCodes.TooManyConnections)]
    [InlineData(PostgresErrorCodes.LockNotAvailable)]
    public void Transient_server_errors_are_run_again_and_then_answered_as_unavailable(string sqlState)
    {
        Assert.True(PostgresBackendStore.IsTransient(Server(sqlState)));
        Assert.NotNull(PostgresBackendStore.Unavailable(Server(sqlState)));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.UniqueViolation)]
    [InlineData(PostgresErrorCodes.CharacterNotInRepertoire)]
    [InlineData(PostgresErrorCodes.SyntaxError)]
    public void Errors_of_the_work_itself_are_neither(string sqlState)
    {
        Assert.False(PostgresBackendStore.IsTransient(Server(sqlState)));
        Assert.Null(PostgresBackendStore.Unavailable(Server(sqlState)));
    }

    [Fact]
    public void A_full_disk_is_answered_at_once()
    {
        Assert.False(PostgresBackendStore.IsTransient(Server(PostgresErrorCodes.DiskFull)));
        Assert.Contains("disk is full", PostgresBackendStore.Unavailable(Server(PostgresErrorCodes.DiskFull))!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_is_answered_at_once_and_a_lost_connection_is_run_again()
    {
        var timedOut = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));
        Assert.False(PostgresBackendStore.IsTransient(timedOut));
        Assert.Contains("did not answer in time", PostgresBackendStore.Unavailable(timedOut)!.Message, StringComparison.Ordinal);

        var lost = new NpgsqlException("Exception while reading from stream", new EndOfStreamException());
        Assert.True(PostgresBackendStore.IsTransient(lost));
        Assert.NotNull(PostgresBackendStore.Unavailable(lost));
    }

    [Fact]
    public void Every_connection_gets_the_store_deadlines_and_keeps_shorter_ones_of_its_own()
    {
        var tuned = PostgresBackendStore.Tuned(new NpgsqlConnectionStringBuilder("Host=db;Username=u;Database=d"));
        Assert.Equal(PostgresBackendStore.ConnectTimeoutSeconds, tuned.Timeout);
        Assert.Equal(PostgresBackendStore.CommandTimeoutSeconds, tuned.CommandTimeout);
        Assert.Equal(PostgresBackendStore.CancellationTimeoutMilliseconds, tuned.CancellationTimeout);
        Assert.True(tuned.TcpKeepAlive);
        Assert.Equal(PostgresBackendStore.KeepAliveSeconds, tuned.TcpKeepAliveTime);

        var unbounded = PostgresBackendStore.Tuned(new NpgsqlConnectionStringBuilder("Host=db;Timeout=0;Command Timeout=0"));
        Assert.Equal(PostgresBackendStore.ConnectTimeoutSeconds, unbounded.Timeout);
        Assert.Equal(PostgresBackendStore.CommandTimeoutSeconds, unbounded.CommandTimeout);

        var shorter = PostgresBackendStore.Tuned(new NpgsqlConnectionStringBuilder("Host=db;Timeout=1;Command Timeout=2"));
        Assert.Equal(1, shorter.Timeout);
        Assert.Equal(2, shorter.CommandTimeout);
        Assert.True(PostgresBackendStore.CallDeadline > TimeSpan.FromSeconds(PostgresBackendStore.CommandTimeoutSeconds));
    }
}
