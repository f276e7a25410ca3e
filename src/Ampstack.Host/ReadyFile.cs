using System.Reflection;
using System.Text.Json;
using Ampstack.Storage.Postgres;

namespace Ampstack.Host;

/// <summary>
/// The <c>--ready-file</c>: one JSON object written once the server listens, so that launchers learn its address (with
/// <c>--port 0</c>) and settings without parsing the human start line. Written to <c>PATH.tmp</c>, then renamed, so a
/// reader that sees the file sees all of it.
/// </summary>
public static class ReadyFile
{
    private static readonly string Version =
        typeof(ReadyFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void Write(string path, string url, ServerOptions options)
    {
        var full = Path.GetFullPath(path);
        var temporary = full + ".tmp";
        using (var stream = File.Create(temporary))
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("url", url);
            w.WriteNumber("pid", Environment.ProcessId);
            if (options.Store == StoreKind.Postgres)
            {
                w.WriteString("store", "postgres");
                // Described, as the start line does: without the password.
                w.WriteString("connection", PostgresBackendStore.Describe(options.ConnectionString!));
            }
            else
            {
                w.WriteString("store", "sqlite");
                w.WriteString("dataDirectory", Path.GetFullPath(options.DataDirectory));
            }

            w.WriteString("jobs", options.Jobs.ToString());
            w.WriteString("auth", options.CredentialsFile is not null || options.InlineCredentials is not null ? "strict" : "lenient");
            w.WriteString("version", Version);
            w.WriteEndObject();
        }

        File.Move(temporary, full, overwrite: true);
    }
}
