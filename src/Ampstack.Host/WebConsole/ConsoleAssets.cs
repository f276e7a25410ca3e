using System.Collections.Frozen;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;

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

    /// <summary>The name of the meta element that tells the console where this server provisions.</summary>
    public const string ProvisioningMeta = "ampstack-provisioning";

    /// <summary>
    /// The console's files under <paramref name="directory"/>; none when it does not exist. With
    /// <paramref name="provisioning"/> (where this server provisions: a URL or <c>AWS</c>), <c>index.html</c> carries it as
    /// <c>&lt;meta name="ampstack-provisioning" content="..."&gt;</c>, compressed again here; without, the page is the
    /// built one and the console says resources are emulated.
    /// </summary>
    public static ConsoleAssets Load(string directory, string? provisioning = null)
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
                if (relative == "index.html" && provisioning is not null)
                {
                    bytes = WithProvisioning(bytes, provisioning);
                    files[relative] = new ConsoleAsset(bytes, Compress(bytes, s => new GZipStream(s, CompressionLevel.SmallestSize)),
                        Compress(bytes, s => new BrotliStream(s, CompressionLevel.SmallestSize)), ContentTypeOf(path), ETagOf(bytes));
                    continue;
                }

                files[relative] = new ConsoleAsset(bytes, ReadIfExists(path + ".gz"), ReadIfExists(path + ".br"),
                    ContentTypeOf(path), ETagOf(bytes));
            }
        }

        return new ConsoleAssets(files.ToFrozenDictionary(StringComparer.Ordinal), directory);
    }

    private static string ETagOf(byte[] bytes) => "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";

    /// <summary>
    /// The page with the meta element before <c>&lt;/head&gt;</c>: the endpoint's scheme, host, port and path only (never
    /// user information a URL might carry), HTML-escaped.
    /// </summary>
    private static byte[] WithProvisioning(byte[] page, string provisioning)
    {
        var where = Uri.TryCreate(provisioning, UriKind.Absolute, out var url)
            ? url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/')
            : provisioning;
        var meta = $"<meta name=\"{ProvisioningMeta}\" content=\"{WebUtility.HtmlEncode(where)}\">\n";
        var html = Encoding.UTF8.GetString(page);
        var head = html.IndexOf("</head>", StringComparison.OrdinalIgnoreCase);
        return Encoding.UTF8.GetBytes(head < 0 ? meta + html : html.Insert(head, meta));
    }

    private static byte[] Compress(byte[] bytes, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var stream = compressor(output))
        {
            stream.Write(bytes);
        }

        return output.ToArray();
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
