using Ampstack.Domain.Common;
using Ampstack.Domain.State;
using Ampstack.Domain.Storage;
using Ampstack.Storage.Sql;

namespace Ampstack.Host.Operator;

/// <summary>
/// <c>ampstack snapshot export|import FILE [store options]</c>: the snapshot routes without a server, on the store a server
/// with the same options would open (also while one runs on it: an export reads one consistent view, an import is one
/// transaction). For backups, and to move state from one store to another (SQLite to PostgreSQL).
/// </summary>
public static class SnapshotCommand
{
    public static string Usage => """
        Usage: ampstack snapshot export <file> [--account <id>] [store options]
               ampstack snapshot import <file> [store options]

        Writes the state of a store to a snapshot file (GET /_ampstack/snapshot's document), or reads one into a store that
        holds nothing of the accounts it names (POST /_ampstack/snapshot). <file> '-' is standard output or input.

        Store options, as for 'ampstack serve' (and their AMPSTACK_ environment variables):
          --data-dir <path>       Directory of the SQLite database (default ./.ampstack)
          --store <kind>          sqlite | postgres (default sqlite)
          --connection-string <s> With --store postgres: an Npgsql connection string
          --account <id>          Export one account's state only (default: every account)
        """;

    /// <summary>Runs the command; returns its exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, string?> environment, TextWriter output,
        TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Count < 2 || args[0] is not ("export" or "import") || args.Contains("--help"))
        {
            (args.Contains("--help") ? output : error).WriteLine(Usage);
            return args.Contains("--help") ? ExitCodes.Ok : ExitCodes.Usage;
        }

        var (verb, file) = (args[0], args[1]);
        var rest = args.Skip(2).ToList();
        string? account = null;
        var at = rest.IndexOf("--account");
        if (at >= 0 && verb == "export" && at + 1 < rest.Count)
        {
            account = rest[at + 1];
            rest.RemoveRange(at, 2);
            if (!SnapshotRules.IsAccountId(account))
            {
                // An empty shell variable must not widen the export to every account.
                await error.WriteLineAsync($"ampstack snapshot: --account must be a 12-digit AWS account id, not '{account}'.")
                    .ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        ServerOptions options;
        try
        {
            options = ServerOptions.Parse(rest, environment);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"ampstack snapshot: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        SqlBackendStore store;
        try
        {
            store = ServerComposition.OpenStore(options);
        }
        catch (StoreOpenException ex)
        {
            await error.WriteLineAsync($"ampstack snapshot: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.StoreUnusable;
        }

        using (store)
        {
            var where = ServerComposition.DescribeStore(options);
            try
            {
                return verb == "export"
                    ? await ExportAsync(store, file, account, where, output, cancellationToken).ConfigureAwait(false)
                    : await ImportAsync(store, file, where, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (StoreUnavailableException ex)
            {
                await error.WriteLineAsync($"ampstack snapshot: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.StoreUnusable;
            }
        }
    }

    private static async Task<int> ExportAsync(IStoreAdmin store, string file, string? account, string where, TextWriter output,
        CancellationToken cancellationToken)
    {
        if (file == "-")
        {
            await using var stdout = Console.OpenStandardOutput();
            await SnapshotFormat.ExportAsync(store, account, stdout, DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Written beside the target and renamed over it: a failed export never leaves half a file under its name.
            var temporary = file + ".partial";
            StoreContents contents;
            await using (var stream = File.Create(temporary))
            {
                contents = await SnapshotFormat.ExportAsync(store, account, stream, DateTimeOffset.UtcNow, cancellationToken)
                    .ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, file, overwrite: true);
            await output.WriteLineAsync($"Exported {Describe(contents)} from {where} to {file}.").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ImportAsync(IStoreAdmin store, string file, string where, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        StoreContents contents;
        try
        {
            await using var stream = file == "-" ? Console.OpenStandardInput() : File.OpenRead(file);
            contents = await SnapshotFormat.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            await new StateService(store).ImportAsync(contents, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Every refusal, whatever refused it (the file, the format, a rule, the store), is one line and exit 6: the
            // import is one transaction, so nothing of it was written.
            var known = ex is SnapshotFormatException or StateNotEmptyException or StoreConflictException or DomainException
                or StoreUnavailableException or IOException or UnauthorizedAccessException;
            var reason = known ? ex.Message : $"the store refused it ({ex.GetType().Name}: {ex.Message})";
            await error.WriteLineAsync($"ampstack snapshot: nothing imported: {OneLine(reason)}").ConfigureAwait(false);
            return ExitCodes.SnapshotRefused;
        }

        await output.WriteLineAsync($"Imported {Describe(contents)} from {file} into {where}.").ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length > 500 ? line[..500] + "..." : line;
    }

    private static string Describe(StoreContents c) =>
        $"{c.Apps.Count} apps, {c.Environments.Count} environments, {c.Resources.Count} resources, {c.Jobs.Count} jobs, " +
        $"{c.Tokens.Count} tokens";
}
