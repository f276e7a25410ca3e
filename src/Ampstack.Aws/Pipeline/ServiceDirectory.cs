using Ampstack.Aws.Protocols;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// The services one port answers, and which of them a request is for, as LocalStack's edge decides it: the service its
/// SigV4 credential scope names (<c>Authorization</c> header or presigned <c>X-Amz-Credential</c>); else a query-protocol
/// <c>Action</c> or a json-protocol <c>X-Amz-Target</c> that a service's model has; else a rest service that has a route
/// for the path; else a service the request's host names (S3's virtual-host style); else the first service, which
/// answers an unsigned request that names nothing with its own 403 or 404.
/// </summary>
public sealed class ServiceDirectory
{
    /// <summary>The services by signing name, looked up by the span of a credential scope (no string per request).</summary>
    private readonly Dictionary<string, ServiceBinding>.AlternateLookup<ReadOnlySpan<char>> _bySigningName;

    public ServiceDirectory(IEnumerable<ServiceBinding> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        Services = services.ToList();
        if (Services.Count == 0)
        {
            throw new ArgumentException("A directory needs at least one service.", nameof(services));
        }

        _bySigningName = Services.ToDictionary(s => s.SigningName, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<ServiceBinding> Services { get; }

    /// <summary>The service a request is for (see the class summary).</summary>
    public ServiceBinding Select(WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_bySigningName.TryGetValue(ScopeService(request.Http), out var named))
        {
            return named;
        }

        return Services.FirstOrDefault(s => NamesItsOperation(s) && s.Protocol.Claims(request))
            ?? Services.FirstOrDefault(s =>
                !NamesItsOperation(s) && !s.Options.SelectedBySignatureOrHost && s.Protocol.Claims(request))
            ?? Services.FirstOrDefault(s => s.Options.HostLabel?.Invoke(request.Http.Host.Host) is not null)
            ?? Services[0];
    }

    /// <summary>True for the protocols whose requests name their operation outright (an Action, an X-Amz-Target).</summary>
    private static bool NamesItsOperation(ServiceBinding service) => service.Model.Protocol is "query" or "json";

    /// <summary>
    /// The service for a CORS preflight, which carries no signature: the first with a route for the path, else the
    /// first service (whose 404 answers it).
    /// </summary>
    public ServiceBinding SelectForPreflight(string path) =>
        Services.FirstOrDefault(s => !s.Options.SelectedBySignatureOrHost && s.Protocol.PathExists(path)) ?? Services[0];

    /// <summary>
    /// The service name of the request's credential scope, or empty when it carries none that can be read; a span of the
    /// request's own text, since every request is read this way.
    /// </summary>
    private static ReadOnlySpan<char> ScopeService(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credential = request.QueryString.HasValue ? request.Query["X-Amz-Credential"].ToString().AsSpan() : [];
        if (credential.IsEmpty)
        {
            var authorization = request.Headers.Authorization.ToString().AsSpan();
            var at = authorization.IndexOf("Credential=", StringComparison.Ordinal);
            if (at < 0)
            {
                return [];
            }

            credential = authorization[(at + "Credential=".Length)..];
            var end = credential.IndexOfAny(',', ' ');
            credential = end < 0 ? credential : credential[..end];
        }

        // AKID/yyyymmdd/region/service/aws4_request: the fourth of exactly five parts.
        Span<Range> parts = stackalloc Range[6];
        return credential.Split(parts, '/') == 5 ? credential[parts[3]] : [];
    }
}
