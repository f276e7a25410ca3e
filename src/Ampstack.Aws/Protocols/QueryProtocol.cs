using System.Globalization;
using System.Text.Json.Nodes;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Protocols;

/// <summary>
/// The query protocol (CloudFormation, STS): <c>Action</c> names the operation and the input comes as form fields
/// (<c>StackName=x</c>, lists as <c>Name.member.1</c>, structures as <c>Name.Member</c>, maps as
/// <c>Name.entry.1.key</c>), in a form body or the query string; answers are <c>&lt;ActionResponse&gt;</c> documents
/// with the result wrapper and <c>ResponseMetadata/RequestId</c>; errors are <c>&lt;ErrorResponse&gt;</c> documents
/// with <c>Type</c>, <c>Code</c> and <c>Message</c>.
/// </summary>
public sealed class QueryProtocol(ServiceModel model, ServiceOptions? options = null) : WireProtocol
{
    private const string XmlContentType = "text/xml";

    /// <summary>The form fields of a query-protocol request: the query string's, then a form body's.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> ReadFields(WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fields = new List<KeyValuePair<string, string>>(request.Query);
        var contentType = request.Http.ContentType ?? "";
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && !request.Body.IsEmpty)
        {
            var text = System.Text.Encoding.UTF8.GetString(request.Body.Span);
            foreach (var pair in text.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? pair : pair[..eq];
                var value = eq < 0 ? "" : pair[(eq + 1)..];
                fields.Add(new(Decode(name), Decode(value)));
            }
        }

        return fields;
    }

    /// <summary>The action a request names, or null.</summary>
    public static string? Action(WireRequest request) =>
        request.FormFields.LastOrDefault(f => f.Key == "Action") is { Key: not null } action ? action.Value : null;

    public override bool Claims(WireRequest request) => Action(request) is { } action && model.Operations.ContainsKey(action);

    public override bool PathExists(string path) => path is "/" or "";

    public override RouteMatch? Route(WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = Action(request);
        if (action is null)
        {
            throw ProtocolErrors.BadRequest("The request names no Action.");
        }

        return model.Operations.TryGetValue(action, out var operation)
            ? new RouteMatch(operation, new Dictionary<string, string>())
            : null;
    }

    public override JsonObject ParseInput(RouteMatch match, WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(match);
        var form = new Form(request.FormFields.Where(f => f.Key is not ("Action" or "Version")));
        var input = match.Operation.Input;
        if (input is null)
        {
            return [];
        }

        // The form becomes the JSON body the shared parser validates: one engine for every protocol's constraints.
        var tree = ReadStructure(input, "", form);
        var body = JsonBytes.Of(tree);
        return RequestParser.Parse(match.Operation, new Dictionary<string, string>(), [], body);
    }

    public override async Task WriteOutputAsync(HttpContext http, ShapeCodec codec, Operation operation, Type outputType, object output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(operation);
        var members = codec.ToMembers(outputType, output);
        var requestId = http.Response.Headers["x-amzn-RequestId"].ToString();
        var body = XmlShapeWriter.Document(writer =>
        {
            writer.WriteStartElement(operation.Name + "Response", model.XmlNamespace ?? "");
            if (operation.Output is { } shape)
            {
                writer.WriteStartElement(operation.ResultWrapper ?? operation.Name + "Result");
                XmlShapeWriter.WriteMembers(writer, shape, members);
                writer.WriteEndElement();
            }

            writer.WriteStartElement("ResponseMetadata");
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
            writer.WriteEndElement();
        });
        http.Response.StatusCode = StatusCodes.Status200OK;
        await WriteBodyAsync(http, XmlContentType, body).ConfigureAwait(false);
    }

    public override async Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(error);
        var shape = model.Shapes.GetValueOrDefault(error.ErrorType);
        var (code, status, sender) = error.ErrorType switch
        {
            _ when options is not null && options.WireErrorCodes.TryGetValue(error.ErrorType, out var renamed) =>
                (renamed.Code, renamed.Status, renamed.Status < 500),
            _ => (shape?.Error?.Code ?? error.ErrorType, error.Status ?? shape?.Error?.HttpStatusCode ?? 400,
                shape?.Error?.IsSenderFault ?? (error.Status ?? 400) < 500),
        };
        var response = http.Response;
        response.StatusCode = status;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        var body = XmlShapeWriter.Document(writer =>
        {
            writer.WriteStartElement("ErrorResponse", model.XmlNamespace ?? "");
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", sender ? "Sender" : "Receiver");
            writer.WriteElementString("Code", code);
            writer.WriteElementString("Message", XmlShapeWriter.Clean(ErrorSerializer.Shorten(error.Message)));
            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        });
        await WriteBodyAsync(http, XmlContentType, body).ConfigureAwait(false);
    }

    private static JsonObject ReadStructure(Shape shape, string prefix, Form form)
    {
        var result = new JsonObject();
        foreach (var member in shape.Members)
        {
            if (ReadValue(member.Shape, prefix + member.WireName, form) is { } value)
            {
                result[member.WireName] = value;
            }
        }

        return result;
    }

    private static JsonNode? ReadValue(Shape shape, string name, Form form)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                return form.Prefixes.Contains(name) ? ReadStructure(shape, name + ".", form) : null;
            case ShapeType.List:
                {
                    if (form.Values.TryGetValue(name, out var bare) && bare.Length == 0)
                    {
                        return new JsonArray(); // an empty list is sent as the bare name
                    }

                    var itemPrefix = shape.IsFlattened ? name + "." : $"{name}.{shape.ElementWireName ?? "member"}.";
                    var list = new JsonArray();
                    for (var i = 1; ReadValue(shape.Element, itemPrefix + Number(i), form) is { } item; i++)
                    {
                        list.Add(item);
                    }

                    return list.Count > 0 ? list : null;
                }

            case ShapeType.Map:
                {
                    var map = new JsonObject();
                    for (var i = 1; form.Values.TryGetValue($"{name}.entry.{Number(i)}.key", out var key); i++)
                    {
                        map[key] = ReadValue(shape.Value, $"{name}.entry.{Number(i)}.value", form);
                    }

                    return map.Count > 0 ? map : null;
                }

            default:
                {
                    if (!form.Values.TryGetValue(name, out var text))
                    {
                        return null;
                    }

                    return shape.Type switch
                    {
                        ShapeType.Integer or ShapeType.Long
                            when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
                        ShapeType.Double or ShapeType.Float
                            when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                        ShapeType.Boolean when bool.TryParse(text, out var b) => JsonValue.Create(b),
                        ShapeType.Integer or ShapeType.Long or ShapeType.Double or ShapeType.Float or ShapeType.Boolean =>
                            throw ProtocolErrors.BadRequest($"Invalid value for '{name}': '{text}'."),
                        _ => JsonValue.Create(text),
                    };
                }
        }
    }

    /// <summary>The form's fields by name (the last value of a repeated name wins) and every dotted prefix of a name.</summary>
    private sealed class Form
    {
        public Form(IEnumerable<KeyValuePair<string, string>> fields)
        {
            foreach (var (name, value) in fields)
            {
                Values[name] = value;
                for (var dot = name.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = name.IndexOf('.', dot + 1))
                {
                    Prefixes.Add(name[..dot]);
                }
            }
        }

        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Prefixes { get; } = new(StringComparer.Ordinal);
    }

    private static string Number(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
