using System.Globalization;
using System.Text.Json.Nodes;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Protocols;

/// <summary>
/// rest-xml (S3): routes from each operation's <c>requestUri</c> (query keys included), input from path, query and headers,
/// output as header members, a payload member's raw bytes or an XML document, errors as
/// <c>&lt;Error&gt;&lt;Code&gt;</c> documents (headers only for HEAD).
/// </summary>
public sealed class RestXmlProtocol(ServiceModel model, ServiceOptions options) : WireProtocol
{
    private const string XmlContentType = "application/xml";
    private readonly OperationRouter _router = new(model, options.AcceptStagePrefix);

    public override bool Claims(WireRequest request) => _router.PathExists(request.Path);

    public override bool PathExists(string path) => _router.PathExists(path);

    public override RouteMatch? Route(WireRequest request) => _router.Match(request.Http.Method, request.Path, request.Query);

    public override JsonObject ParseInput(RouteMatch match, WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(request);
        // The operations served take no XML body; a body on them is ignored as S3 ignores it.
        return RequestParser.Parse(match.Operation, match.Labels, request.Query, ReadOnlyMemory<byte>.Empty, request.Http.Headers);
    }

    public override async Task WriteOutputAsync(HttpContext http, ShapeCodec codec, Operation operation, Type outputType, object output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(operation);
        var shape = operation.Output!;
        var response = http.Response;
        if (shape.Payload is { } payloadName && shape.MembersByName[payloadName].Shape.Type == ShapeType.Blob)
        {
            var (headers, bytes) = codec.ToMembers(outputType, output, payloadName);
            WriteHeaders(response, shape, headers);
            response.StatusCode = StatusOf(response, operation);
            var contentType = response.Headers.ContentType.Count > 0
                ? response.Headers.ContentType.ToString()
                : "application/octet-stream";
            await WriteBodyAsync(http, contentType, bytes ?? []).ConfigureAwait(false);
            return;
        }

        var members = codec.ToMembers(outputType, output);
        WriteHeaders(response, shape, members);
        response.StatusCode = StatusOf(response, operation);
        var root = options.XmlRootNames.GetValueOrDefault(operation.Name) ?? shape.Name;
        var bodyMembers = shape.MembersAt(MemberLocation.Body);
        byte[] body;
        if (bodyMembers is [{ } only] && only.WireName == root && only.Shape.Type == ShapeType.String)
        {
            // An answer that is one text element, empty or not (GetBucketLocation's <LocationConstraint>).
            body = XmlShapeWriter.Document(writer =>
            {
                writer.WriteStartElement(root, model.XmlNamespace ?? "");
                if (members[only.Name] is { } text)
                {
                    writer.WriteString(XmlShapeWriter.Text(only.Shape, text));
                }

                writer.WriteEndElement();
            });
        }
        else if (AnyPresent(bodyMembers, members))
        {
            body = XmlShapeWriter.Document(writer =>
            {
                writer.WriteStartElement(root, model.XmlNamespace ?? "");
                XmlShapeWriter.WriteMembers(writer, shape, members);
                writer.WriteEndElement();
            });
        }
        else
        {
            response.ContentLength ??= 0;
            return;
        }

        await WriteBodyAsync(http, XmlContentType, body).ConfigureAwait(false);
    }

    /// <summary>A ranged read's 206, else the operation's own code.</summary>
    private static int StatusOf(HttpResponse response, Operation operation) =>
        response.Headers.ContentRange.Count > 0 ? StatusCodes.Status206PartialContent : operation.ResponseCode;

    public override async Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(error);
        var (code, status) = options.WireErrorCodes.TryGetValue(error.ErrorType, out var renamed)
            ? renamed
            : (model.Shapes.GetValueOrDefault(error.ErrorType)?.Error?.Code ?? error.ErrorType,
                error.Status ?? model.Shapes.GetValueOrDefault(error.ErrorType)?.Error?.HttpStatusCode ?? 400);
        var response = http.Response;
        response.StatusCode = status;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        if (status == StatusCodes.Status304NotModified)
        {
            return;
        }

        var body = XmlShapeWriter.Document(writer =>
        {
            writer.WriteStartElement("Error");
            writer.WriteElementString("Code", code);
            writer.WriteElementString("Message", XmlShapeWriter.Clean(ErrorSerializer.Shorten(error.Message)));
            foreach (var (name, value) in error.Members)
            {
                writer.WriteElementString(name, XmlShapeWriter.Clean(ErrorSerializer.Shorten(value)));
            }

            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        });
        await WriteBodyAsync(http, XmlContentType, body).ConfigureAwait(false);
    }

    private static void WriteHeaders(HttpResponse response, Shape shape, JsonObject members)
    {
        foreach (var member in shape.Members)
        {
            if (members[member.Name] is not { } value)
            {
                continue;
            }

            switch (member.Location)
            {
                case MemberLocation.Header:
                    response.Headers[member.WireName] = member.Shape.Type == ShapeType.Timestamp
                        ? DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture).ToString("r", CultureInfo.InvariantCulture)
                        : XmlShapeWriter.Text(member.Shape, value);
                    break;
                case MemberLocation.Headers:
                    foreach (var (key, item) in value.AsObject())
                    {
                        response.Headers[member.WireName + key] = (string?)item;
                    }

                    break;
            }
        }
    }

    private static bool AnyPresent(ReadOnlySpan<Member> candidates, JsonObject members)
    {
        foreach (var member in candidates)
        {
            if (members[member.Name] is not null)
            {
                return true;
            }
        }

        return false;
    }
}
