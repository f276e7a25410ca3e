using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Client.Wire;

/// <summary>
/// Reads a successful answer into the operation's output keyed by the model's member names: JSON bodies (json, rest-json)
/// by wire name, XML bodies (query: <c>&lt;ActionResponse&gt;&lt;ActionResult&gt;</c>; rest-xml: the root element) by
/// element name, header members from headers, a payload member from the raw body. Timestamps come out as ISO 8601 text
/// and blobs as base64, the form <see cref="Ampstack.Aws.RestJson.ShapeCodec.Read"/> takes. Members the model does not
/// know are ignored (an endpoint newer than the model may send more).
/// </summary>
internal static class ResponseReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static JsonObject Read(ServiceModel model, Operation operation, Func<string, string?> header, byte[] body)
    {
        var shape = operation.Output;
        if (shape is null)
        {
            return [];
        }

        var result = model.Protocol switch
        {
            "query" => ReadQuery(operation, shape, body),
            "rest-xml" => shape.Payload is null ? ReadXmlRoot(shape, body) : [],
            _ => shape.Payload is null ? ReadJsonBody(shape, body) : [],
        };
        if (shape.Payload is { } payloadName && model.Protocol != "query")
        {
            var payload = shape.MembersByName[payloadName];
            if (body.Length > 0 && ReadPayload(model, payload.Shape, body) is { } value)
            {
                result[payload.Name] = value;
            }
        }

        if (model.Protocol is "rest-json" or "rest-xml")
        {
            ReadHeaders(shape, header, result);
        }

        return result;
    }

    /// <summary>A JSON body read as <paramref name="shape"/> (empty for no body).</summary>
    public static JsonObject ReadJsonBody(Shape shape, byte[] body)
    {
        if (IsBlank(body))
        {
            return [];
        }

        using var document = JsonDocument.Parse(body, DocumentOptions);
        return document.RootElement.ValueKind == JsonValueKind.Object ? (JsonObject)FromJson(shape, document.RootElement)! : [];
    }

    /// <summary>The members of <paramref name="shape"/> found among <paramref name="element"/>'s children.</summary>
    public static JsonObject FromXmlMembers(Shape shape, XElement element)
    {
        var result = new JsonObject();
        foreach (var member in shape.Members.Where(m => m.Location == MemberLocation.Body))
        {
            var children = element.Elements().Where(e => e.Name.LocalName == member.WireName).ToList();
            if (children.Count == 0)
            {
                continue;
            }

            var value = member.Shape is { Type: ShapeType.List, IsFlattened: true }
                ? new JsonArray(children.Select(c => FromXml(member.Shape.Element, c)).ToArray())
                : FromXml(member.Shape, children[0]);
            if (value is not null)
            {
                result[member.Name] = value;
            }
        }

        return result;
    }

    private static JsonObject ReadQuery(Operation operation, Shape shape, byte[] body)
    {
        if (IsBlank(body))
        {
            return [];
        }

        var root = XDocument.Parse(Encoding.UTF8.GetString(body)).Root!;
        var wrapper = operation.ResultWrapper ?? operation.Name + "Result";
        var result = root.Elements().FirstOrDefault(e => e.Name.LocalName == wrapper);
        return result is null ? [] : FromXmlMembers(shape, result);
    }

    private static JsonObject ReadXmlRoot(Shape shape, byte[] body) =>
        IsBlank(body) ? [] : FromXmlMembers(shape, XDocument.Parse(Encoding.UTF8.GetString(body)).Root!);

    private static JsonNode? ReadPayload(ServiceModel model, Shape shape, byte[] body) => shape.Type switch
    {
        ShapeType.Blob => JsonValue.Create(Convert.ToBase64String(body)),
        ShapeType.String => JsonValue.Create(Encoding.UTF8.GetString(body)),
        ShapeType.Structure when model.Protocol == "rest-xml" => ReadXmlRoot(shape, body),
        ShapeType.Structure => ReadJsonBody(shape, body),
        _ => null,
    };

    private static void ReadHeaders(Shape shape, Func<string, string?> header, JsonObject result)
    {
        foreach (var member in shape.Members.Where(m => m.Location == MemberLocation.Header))
        {
            if (header(member.WireName) is { } text && FromText(member.Shape, text) is { } value)
            {
                result[member.Name] = value;
            }
        }
    }

    private static JsonNode? FromJson(Shape shape, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        switch (shape.Type)
        {
            case ShapeType.Structure:
                {
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        return null;
                    }

                    var result = new JsonObject();
                    foreach (var property in value.EnumerateObject())
                    {
                        if (shape.MembersByWireName.TryGetValue(property.Name, out var member)
                            && FromJson(member.Shape, property.Value) is { } v)
                        {
                            result[member.Name] = v;
                        }
                    }

                    return result;
                }

            case ShapeType.List:
                return value.ValueKind == JsonValueKind.Array
                    ? new JsonArray(value.EnumerateArray().Select(e => FromJson(shape.Element, e)).Where(e => e is not null).ToArray())
                    : null;
            case ShapeType.Map:
                {
                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        return null;
                    }

                    var map = new JsonObject();
                    foreach (var entry in value.EnumerateObject())
                    {
                        map[entry.Name] = FromJson(shape.Value, entry.Value);
                    }

                    return map;
                }

            case ShapeType.Timestamp:
                return value.ValueKind switch
                {
                    JsonValueKind.Number => Iso(DateTimeOffset.FromUnixTimeMilliseconds((long)(value.GetDecimal() * 1000))),
                    JsonValueKind.String => FromText(shape, value.GetString()!),
                    _ => null,
                };
            default:
                return JsonNode.Parse(value.GetRawText());
        }
    }

    private static JsonNode? FromXml(Shape shape, XElement element)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                return FromXmlMembers(shape, element);
            case ShapeType.List:
                {
                    var name = shape.ElementWireName ?? "member";
                    return new JsonArray(element.Elements().Where(e => e.Name.LocalName == name)
                        .Select(e => FromXml(shape.Element, e)).Where(e => e is not null).ToArray());
                }

            case ShapeType.Map:
                {
                    var map = new JsonObject();
                    foreach (var entry in element.Elements().Where(e => e.Name.LocalName == "entry"))
                    {
                        var key = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "key")?.Value;
                        var value = entry.Elements().FirstOrDefault(e => e.Name.LocalName == "value");
                        if (key is not null)
                        {
                            map[key] = value is null ? null : FromXml(shape.Value, value);
                        }
                    }

                    return map;
                }

            default:
                return FromText(shape, element.Value);
        }
    }

    /// <summary>A scalar from text (XML element or header): numbers and booleans typed, timestamps as ISO 8601.</summary>
    private static JsonValue? FromText(Shape shape, string text)
    {
        var trimmed = text.Trim();
        return shape.Type switch
        {
            ShapeType.String or ShapeType.Blob => JsonValue.Create(text),
            ShapeType.Boolean => bool.TryParse(trimmed, out var b) ? JsonValue.Create(b) : null,
            // Numbers as JSON numbers (not a CLR long or double), so they read as any numeric type, like those of JSON answers.
            ShapeType.Integer or ShapeType.Long =>
                long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                    ? Number(n.ToString(CultureInfo.InvariantCulture))
                    : null,
            ShapeType.Double or ShapeType.Float =>
                double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                    ? Number(d.ToString("R", CultureInfo.InvariantCulture))
                    : null,
            ShapeType.Timestamp => ParseTime(trimmed) is { } time ? Iso(time) : null,
            _ => null,
        };
    }

    /// <summary>A timestamp in any of the wire's forms: ISO 8601, an HTTP date, epoch seconds.</summary>
    private static DateTimeOffset? ParseTime(string text)
    {
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(seconds) < 253_402_300_799m)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
    }

    private static JsonValue Number(string json) => (JsonValue)JsonNode.Parse(json)!;

    private static JsonValue Iso(DateTimeOffset time) =>
        JsonValue.Create(time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));

    private static bool IsBlank(byte[] body) => body.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');
}
