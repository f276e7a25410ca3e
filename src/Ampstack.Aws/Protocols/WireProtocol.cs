using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Nodes;

namespace Ampstack.Aws.Protocols;

/// <summary>A request as a protocol reads it: what arrived, with the path and query as sent.</summary>
/// <param name="Http">The ASP.NET request.</param>
/// <param name="Path">The path as sent, still percent-encoded (after a virtual-host bucket was moved into it).</param>
/// <param name="Query">The query parameters, decoded, in the order sent.</param>
/// <param name="Body">The body bytes.</param>
public sealed record WireRequest(
    HttpRequest Http, string Path, IReadOnlyList<KeyValuePair<string, string>> Query, ReadOnlyMemory<byte> Body)
{
    private IReadOnlyList<KeyValuePair<string, string>>? _formFields;

    public string? Header(string name) => Http.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>
    /// The request's fields as the query protocol reads them (the query string's, then a form body's), decoded once
    /// however often the service's choice, the route and the input ask.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> FormFields => _formFields ??= QueryProtocol.ReadFields(this);
}

/// <summary>
/// One AWS protocol (botocore's <c>metadata.protocol</c>): how a request names its operation and carries its input, and
/// how outputs and errors are written. Every protocol reads into and writes from the same member-keyed form through the
/// service's <see cref="ShapeCodec"/>, so the shapes are handled by one engine whatever the wire looks like.
/// </summary>
public abstract class WireProtocol
{
    /// <summary>The protocol for a model's <c>metadata.protocol</c>.</summary>
    public static WireProtocol For(ServiceModel model, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        return model.Protocol switch
        {
            "rest-json" => new RestJsonProtocol(model, options),
            "rest-xml" => new RestXmlProtocol(model, options),
            "query" => new QueryProtocol(model, options),
            "json" => new JsonProtocol(model),
            _ => throw new NotSupportedException($"Protocol {model.Protocol} is not supported."),
        };
    }

    /// <summary>True when the request names an operation of this service at all (used to pick the service when unsigned).</summary>
    public abstract bool Claims(WireRequest request);

    /// <summary>True when some route has this path (CORS preflight).</summary>
    public abstract bool PathExists(string path);

    /// <summary>The operation and its path labels, or null when nothing matches.</summary>
    public abstract RouteMatch? Route(WireRequest request);

    /// <summary>The operation's input keyed by member names, validated against the model (400 otherwise).</summary>
    public abstract JsonObject ParseInput(RouteMatch match, WireRequest request);

    /// <summary>Writes a successful answer.</summary>
    public abstract Task WriteOutputAsync(HttpContext http, ShapeCodec codec, Operation operation, Type outputType, object output,
        CancellationToken cancellationToken);

    /// <summary>Writes an error as this protocol's clients read it.</summary>
    public abstract Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException error, string requestId);

    /// <summary>Writes an output shape as the JSON protocols answer it: the codec's bytes with their length.</summary>
    protected static async Task WriteJsonOutputAsync(HttpContext http, ShapeCodec codec, Type outputType, object output, int status,
        string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(codec);
        using var answer = codec.Write(outputType, output);
        var response = http.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = answer.Length;
        await answer.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an error as the JSON protocols answer it: its type in <c>x-amzn-ErrorType</c>, its headers, the body.</summary>
    protected static Task WriteJsonErrorAsync(HttpContext http, AwsErrorException error, int status, string errorType, string contentType,
        ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(error);
        var response = http.Response;
        response.StatusCode = status;
        response.Headers["x-amzn-ErrorType"] = errorType;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        return WriteBodyAsync(http, contentType, body);
    }

    /// <summary>Writes a body with its length, except to a HEAD request (whose answer has headers only).</summary>
    protected static async Task WriteBodyAsync(HttpContext http, string contentType, ReadOnlyMemory<byte> body)
    {
        http.Response.ContentType = contentType;
        http.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(http.Request.Method) && body.Length > 0)
        {
            await http.Response.Body.WriteAsync(body, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
