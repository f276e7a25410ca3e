using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Ampstack.Host.WebConsole;

/// <summary>
/// Serves the web console under <c>/console/</c>, ahead of the AWS pipeline, and sends a browser that opens the bare
/// address there. The console is a static single-page app: its files are public, and every API call it makes goes
/// through the AWS pipeline signed with the credential the person signs in with. What it answers:
/// <list type="bullet">
/// <item><c>GET /console</c>: 302 to <c>/console/</c>; <c>GET /console/</c>: <c>index.html</c>, revalidated on every
/// visit (<c>no-cache</c>, an <c>ETag</c>); <c>GET /console/assets/NAME-HASH.ext</c>: the file, cached for a year
/// (<c>immutable</c>: a new build has new names). Brotli or gzip copies made at build time when the client accepts them.</item>
/// <item>other methods on <c>/console/...</c>: 405; an unknown file: 404.</item>
/// <item>an unsigned <c>GET /</c> that accepts <c>text/html</c> (a browser): 302 to <c>/console/</c>. Everything else,
/// signed requests and non-HTML ones to <c>/</c> included, goes on to the AWS pipeline unchanged.</item>
/// </list>
/// </summary>
public sealed class ConsoleMiddleware(ConsoleAssets assets)
{
    /// <summary>Where the console lives.</summary>
    public const string Prefix = "/console";

    private const string ImmutableCache = "public, max-age=31536000, immutable";

    // The console needs nothing from elsewhere: no CDN, no fonts, API calls to its own origin.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    public Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        if (path == "/" && IsBrowserLanding(request))
        {
            return Redirect(http);
        }

        if (path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return ServeAsync(http, path);
        }

        return next(http);
    }

    /// <summary>An unsigned GET of <c>/</c> that asks for HTML: a person typed the server's address into a browser.</summary>
    internal static bool IsBrowserLanding(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) || request.Headers.Authorization.Count > 0)
        {
            return false;
        }

        if (request.Query.ContainsKey("X-Amz-Credential") || request.Query.ContainsKey("X-Amz-Signature")
            || request.Query.ContainsKey("X-Amz-Algorithm"))
        {
            return false;
        }

        foreach (var value in request.Headers.Accept)
        {
            if (value is not null && value.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Task Redirect(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status302Found;
        http.Response.Headers.Location = Prefix + "/";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private Task ServeAsync(HttpContext http, string path)
    {
        var request = http.Request;
        var response = http.Response;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.Headers.Allow = "GET, HEAD";
            return PlainAsync(http, StatusCodes.Status405MethodNotAllowed, "The console's files are read with GET.");
        }

        if (path == Prefix)
        {
            return Redirect(http);
        }

        if (!assets.IsBuilt)
        {
            return PlainAsync(http, StatusCodes.Status503ServiceUnavailable,
                $"The web console is not built (no index.html in {assets.Directory}). Run console/build.sh and rebuild the " +
                "server; ./ampstack serve does both.");
        }

        var relative = path.Length <= Prefix.Length + 1 ? "index.html" : path[(Prefix.Length + 1)..];
        var asset = assets.Find(relative);
        if (asset is null)
        {
            return PlainAsync(http, StatusCodes.Status404NotFound, $"No console file at {Shown(http.Request.Path)}.");
        }

        var isIndex = relative == "index.html";
        var headers = response.Headers;
        headers.CacheControl = isIndex ? "no-cache" : ImmutableCache;
        headers.XContentTypeOptions = "nosniff";
        headers.Vary = "Accept-Encoding";
        if (isIndex)
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }

        var (body, encoding) = Choose(asset, request.Headers.AcceptEncoding);
        var etag = encoding is null ? asset.ETag : asset.ETag.Insert(asset.ETag.Length - 1, "-" + encoding);
        headers.ETag = etag;
        if (NoneMatch(request.Headers.IfNoneMatch, etag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = asset.ContentType;
        if (encoding is not null)
        {
            headers.ContentEncoding = encoding;
        }

        response.ContentLength = body.Length;
        return HttpMethods.IsHead(request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Brotli when accepted, else gzip when accepted, else the plain bytes (a <c>q=0</c> refuses a coding).</summary>
    internal static (byte[] Body, string? Encoding) Choose(ConsoleAsset asset, StringValues acceptEncoding)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in acceptEncoding)
        {
            if (value is null || !StringWithQualityHeaderValue.TryParseList(value.Split(','), out var codings))
            {
                continue;
            }

            foreach (var coding in codings)
            {
                if (coding.Quality is not 0)
                {
                    accepted.Add(coding.Value.ToString());
                }
            }
        }

        if (asset.Brotli is not null && accepted.Contains("br"))
        {
            return (asset.Brotli, "br");
        }

        return asset.Gzip is not null && accepted.Contains("gzip") ? (asset.Gzip, "gzip") : (asset.Identity, null);
    }

    /// <summary>
    /// Whether <c>If-None-Match</c> matches the file: <c>*</c>, or one of its list of tags compared weakly (<c>W/"x"</c>
    /// matches <c>"x"</c>), as RFC 9110 has caches compare for GET and HEAD.
    /// </summary>
    internal static bool NoneMatch(StringValues ifNoneMatch, string etag)
    {
        foreach (var value in ifNoneMatch)
        {
            foreach (var part in (value ?? "").Split(','))
            {
                var tag = part.Trim();
                if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A request path as it may be shown in an answer: percent-encoded (never raw markup), at most 200 characters.</summary>
    private static string Shown(PathString path)
    {
        var encoded = path.ToUriComponent();
        return encoded.Length > 200 ? encoded[..200] + "..." : encoded;
    }

    private static Task PlainAsync(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return http.Response.WriteAsync(message + "\n");
    }
}
