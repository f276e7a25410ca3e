using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Ampstack.Host.WebConsole;

/// <summary>One file of the console's build, with the gzip and brotli copies the build made of it.</summary>
/// <param name="Identity">The file's bytes.</param>
/// <param name="Gzip">Its gzip copy (<c>.gz</c> beside it), if built.</param>
/// <param name="Brotli">Its brotli copy (<c>.br</c> beside it), if built.</param>
/// <param name="ContentType">The media type, from the extension.</param>
/// <param name="ETag">A strong validator of the identity bytes.</param>
public sealed record ConsoleAsset(byte[] Identity, byte[]? Gzip, byte[]? Brotli, string ContentType, string ETag);

/// <summary>
/// The web console's files (built by <c>console/build.sh</c> into <c>console/dist</c>, copied beside the server as
/// <c>console/</c>), read once at start and served from memory: the whole console is a few hundred kilobytes.
/// </summary>
public sealed class ConsoleAssets
{
    private readonly FrozenDictionary<string, ConsoleAsset> _files;

    private ConsoleAssets(FrozenDictionary<string, ConsoleAsset> files, string directory)
    {
        _files = files;
        Directory = directory;
    }

    /// <summary>Where the files were read from.</summary>
    public string Directory { get; }

    /// <summary>Whether the console was built (its <c>index.html</c> is there).</summary>
    public bool IsBuilt => _files.ContainsKey("index.html");

    /// <summary>The number of files (not counting compressed copies).</summary>
    public int Count => _files.Count;

    /// <summary>The file at a path relative to the console's root (<c>index.html</c>, <c>assets/app-HASH.js</c>).</summary>
    public ConsoleAsset? Find(string relativePath) => _files.GetValueOrDefault(relativePath);

    /// <summary>The console's files under <paramref name="directory"/>; none when it does not exist.</summary>
    public static ConsoleAssets Load(string directory)
    {
        var files = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        if (System.IO.Directory.Exists(directory))
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
            {
                if (path.EndsWith(".gz", StringComparison.Ordinal) || path.EndsWith(".br", StringComparison.Ordinal))
                {
                    continue;
                }

                var bytes = File.ReadAllBytes(path);
                var relative = Path.GetRelativePath(directory, path).Replace('\\', '/');
                var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
                files[relative] = new ConsoleAsset(bytes, ReadIfExists(path + ".gz"), ReadIfExists(path + ".br"),
                    ContentTypeOf(path), etag);
            }
        }

        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal), directory);
    }

    private static byte[]? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllBytes(path) : null;

    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToUpperInvariant() switch
    {
        ".HTML" => "text/html; charset=utf-8",
        ".JS" => "text/javascript; charset=utf-8",
        ".CSS" => "text/css; charset=utf-8",
        ".SVG" => "image/svg+xml",
        ".PNG" => "image/png",
        ".ICO" => "image/x-icon",
        ".JSON" or ".MAP" => "application/json",
        _ => "application/octet-stream",
    };
}
