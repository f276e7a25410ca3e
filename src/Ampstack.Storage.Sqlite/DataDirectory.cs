using Ampstack.Domain.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ampstack.Storage.Sqlite;

/// <summary>
/// Explains why a data directory or its database cannot be used, as a <see cref="StoreOpenException"/> naming the path
/// and the problem, instead of letting a stack trace end the start.
/// </summary>
internal static class DataDirectory
{
    private const string ProbeName = ".ampstack-write-probe";

    /// <summary>Creates the directory when needed and checks that files can be made in it.</summary>
    public static void Prepare(string path)
    {
        if (File.Exists(path))
        {
            throw new StoreOpenException($"Data directory {path} is a file, not a directory.");
        }

        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, ProbeName);
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1,
                FileOptions.DeleteOnClose))
            {
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreOpenException($"Data directory {path} is not writable: permission denied.", ex);
        }
        catch (IOException ex)
        {
            throw new StoreOpenException($"Data directory {path} cannot be used: {Describe(ex)}", ex);
        }
    }

    /// <summary>The sentence for a SQLite failure while opening or migrating <paramref name="file"/>.</summary>
    public static StoreOpenException Explain(string file, SqliteException ex) => new(ex.SqliteErrorCode switch
    {
        raw.SQLITE_NOTADB => $"{file} is not a SQLite database (it is corrupt, or another kind of file).",
        raw.SQLITE_CORRUPT => $"{file} is corrupt: {ex.Message}",
        raw.SQLITE_PERM or raw.SQLITE_READONLY or raw.SQLITE_CANTOPEN or raw.SQLITE_AUTH =>
            $"{file} cannot be opened for writing (a read-only file system or missing permissions).",
        raw.SQLITE_FULL => $"{file} cannot be written: the disk is full.",
        raw.SQLITE_BUSY or raw.SQLITE_LOCKED =>
            $"{file} is locked by another process that did not let go within the busy timeout.",
        raw.SQLITE_IOERR => $"{file} cannot be read or written: disk I/O error.",
        _ => $"{file} cannot be opened: {ex.Message}",
    }, ex);

    private static string Describe(IOException ex) =>
        ex.HResult switch
        {
            // ENOSPC, EROFS as .NET reports them on Unix.
            28 => "the disk is full.",
            30 => "the file system is read-only.",
            _ => ex.Message,
        };
}
