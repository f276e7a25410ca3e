using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ampstack.Aws.Auth;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.Protocols;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Client.Wire;

/// <summary>
/// Writes an operation's input, keyed by the model's member names (as botocore's parameters are), as its protocol sends
/// it: json (POST <c>/</c>, <c>X-Amz-Target</c>, the whole input as JSON), rest-json and rest-xml (members into the path,
/// query string, headers and a JSON body by their <c>location</c>), query (an <c>Action</c>/<c>Version</c> form). Wire
/// names come from the model. Before anything is sent the request is checked by the serving side's own
/// <see cref="RequestParser"/>, so the client sends only what a server of the same model accepts: an unknown member, a
/// wrong type, a missing required member or a value outside the model's constraints is refused here, by its wire path.
/// There is no per-operation code here.
/// </summary>
internal static partial class RequestWriter
{
    private const string Iso8601 = "iso8601";
    private const string UnixTimestamp = "unixTimestamp";
    private const string Rfc822 = "rfc822";

    public static ClientRequest Write(ServiceModel model, Operation operation, JsonObject input)
    {
        try
        {
            return model.Protocol switch
            {
                "json" => WriteJson(model, operation, input),
                "rest-json" or "rest-xml" => WriteRest(model, operation, input),
                "query" => WriteQuery(model, operation, input),
                _ => throw new NotSupportedException($"Protocol {model.Protocol} is not supported."),
            };
        }
        catch (InvalidInputException ex)
        {
            throw new AwsRequestValidationException(model.ServiceId, operation.Name, ex.Message);
        }
        catch (WireRefusalException ex)
        {
            // The serving side's validation refused what would have been sent.
            throw new AwsRequestValidationException(model.ServiceId, operation.Name, ex.Message);
        }
    }

    private static ClientRequest WriteJson(ServiceModel model, Operation operation, JsonObject input)
    {
        var body = operation.Input is { } shape ? (JsonObject)ToWire(shape, input, "", UnixTimestamp) : NoInput(input);
        var bytes = JsonBytes.Of(body);
        RequestParser.Parse(operation, new Dictionary<string, string>(), [], bytes);
        return new ClientRequest(operation.HttpMethod, PathOf(operation.RequestUri), [],
        [
            new("Content-Type", JsonProtocol.ContentType(model)),
            new(JsonProtocol.TargetHeader, JsonProtocol.Target(model, operation)),
        ], bytes);
    }

    private static ClientRequest WriteQuery(ServiceModel model, Operation operation, JsonObject input)
    {
        var tree = operation.Input is { } shape ? (JsonObject)ToWire(shape, input, "", Iso8601) : NoInput(input);
        RequestParser.Parse(operation, new Dictionary<string, string>(), [], JsonBytes.Of(tree));
        var fields = new List<KeyValuePair<string, string>> { new("Action", operation.Name), new("Version", model.ApiVersion) };
        if (operation.Input is { } inputShape)
        {
            FlattenMembers(inputShape, tree, "", fields);
        }

        var form = string.Join('&',
            fields.Select(f => SigV4.UriEncode(f.Key, keepSlash: false) + "=" + SigV4.UriEncode(f.Value, keepSlash: false)));
        return new ClientRequest(operation.HttpMethod, PathOf(operation.RequestUri), [],
            [new("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], Encoding.UTF8.GetBytes(form));
    }

    private static ClientRequest WriteRest(ServiceModel model, Operation operation, JsonObject input)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var query = new List<KeyValuePair<string, string>>();
        var headers = new List<KeyValuePair<string, string>>();
        var body = new JsonObject();
        var shape = operation.Input;
        if (shape is null)
        {
            NoInput(input);
        }
        else
        {
            foreach (var (name, value) in input)
            {
                var member = shape.MembersByName.GetValueOrDefault(name)
                    ?? throw new InvalidInputException($"'{name}' is not a member of {shape.Name}.");
                if (value is null)
                {
                    continue;
                }

                switch (member.Location)
                {
                    case MemberLocation.Uri:
                        labels[member.WireName] = Text(member.Shape, value, member.WireName, Iso8601);
                        break;
                    case MemberLocation.QueryString:
                        AddQuery(member, value, query);
                        break;
                    case MemberLocation.Header:
                        headers.Add(new(member.WireName, Text(member.Shape, value, member.WireName, Rfc822)));
                        break;
                    case MemberLocation.Headers:
                        foreach (var (key, item) in Expect<JsonObject>(value, member.WireName, "a map"))
                        {
                            if (item is not null)
                            {
                                headers.Add(new(member.WireName + key, Text(member.Shape.Value, item, member.WireName + key, Rfc822)));
                            }
                        }

                        break;
                    default:
                        body[member.WireName] = ToWire(member.Shape, value, member.WireName, UnixTimestamp);
                        break;
                }
            }
        }

        var (path, literalQuery) = SplitTemplate(operation.RequestUri);
        path = Label().Replace(path, match =>
        {
            var value = labels.GetValueOrDefault(match.Groups["name"].Value, "");
            return SigV4.UriEncode(value, keepSlash: match.Groups["greedy"].Success);
        });
        query.InsertRange(0, literalQuery);

        byte[] bytes = [];
        string? contentType = null;
        if (shape?.Payload is { } payloadName)
        {
            (bytes, contentType) = Payload(shape.MembersByName[payloadName], input[payloadName]);
        }
        else if (body.Count > 0 || (shape?.Members.Any(m => m.Location == MemberLocation.Body) ?? false))
        {
            // A shape with body members always sends a JSON object, {} when none is set (as botocore does).
            bytes = JsonBytes.Of(body);
            contentType = model.Protocol == "rest-json" ? "application/json" : "application/xml";
        }

        if (model.Protocol == "rest-xml" && shape?.Payload is null && body.Count > 0)
        {
            throw new NotSupportedException("XML request bodies are not written yet (no operation called needs one).");
        }

        var sent = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            sent[name] = value; // case-insensitive, the last of a name kept
        }

        RequestParser.Parse(operation, labels, query.Skip(literalQuery.Count).ToList(),
            shape?.Payload is null && model.Protocol == "rest-json" ? bytes : [], sent);
        if (contentType is not null)
        {
            headers.Insert(0, new("Content-Type", contentType));
        }

        return new ClientRequest(operation.HttpMethod, path, query, headers, bytes);
    }

    private static (byte[] Bytes, string? ContentType) Payload(Member member, JsonNode? value)
    {
        if (value is null)
        {
            return ([], null);
        }

        return member.Shape.Type switch
        {
            ShapeType.Blob => (Base64(value, member.WireName), "application/octet-stream"),
            ShapeType.String => (Encoding.UTF8.GetBytes(Text(member.Shape, value, member.WireName, Iso8601)), "text/plain"),
            ShapeType.Structure => (JsonBytes.Of(ToWire(member.Shape, value, member.WireName, UnixTimestamp)),
                "application/json"),
            _ => throw new NotSupportedException($"A {member.Shape.Type} payload is not supported."),
        };
    }

    private static void AddQuery(Member member, JsonNode value, List<KeyValuePair<string, string>> query)
    {
        switch (member.Shape.Type)
        {
            case ShapeType.List:
                var i = 0;
                foreach (var item in Expect<JsonArray>(value, member.WireName, "a list"))
                {
                    var path = $"{member.WireName}[{i++}]";
                    query.Add(new(member.WireName, Text(member.Shape.Element, item ?? Null(path), path, Iso8601)));
                }

                break;
            case ShapeType.Map:
                foreach (var (key, item) in Expect<JsonObject>(value, member.WireName, "a map"))
                {
                    if (item is JsonArray list)
                    {
                        query.AddRange(list.Select(e =>
                            new KeyValuePair<string, string>(key, Text(member.Shape.Value.Element, e ?? Null(key), key, Iso8601))));
                    }
                    else if (item is not null)
                    {
                        query.Add(new(key, Text(member.Shape.Value, item, key, Iso8601)));
                    }
                }

                break;
            default:
                query.Add(new(member.WireName, Text(member.Shape, value, member.WireName, Iso8601)));
                break;
        }
    }

    /// <summary>A value keyed by member names as the wire's JSON, keyed by wire names; timestamps in the given format.</summary>
    private static JsonNode ToWire(Shape shape, JsonNode value, string path, string timestampFormat)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                {
                    var result = new JsonObject();
                    foreach (var (name, item) in Expect<JsonObject>(value, path, "an object"))
                    {
                        var member = shape.MembersByName.GetValueOrDefault(name)
                            ?? throw new InvalidInputException($"'{Join(path, name)}' is not a member of {shape.Name}.");
                        if (item is not null)
                        {
                            var wirePath = Join(path, member.WireName);
                            result[member.WireName] = ToWire(member.Shape, item, wirePath, timestampFormat);
                        }
                    }

                    return result;
                }

            case ShapeType.List:
                {
                    var list = new JsonArray();
                    var i = 0;
                    foreach (var item in Expect<JsonArray>(value, path, "a list"))
                    {
                        var itemPath = $"{path}[{i++}]";
                        list.Add(ToWire(shape.Element, item ?? Null(itemPath), itemPath, timestampFormat));
                    }

                    return list;
                }

            case ShapeType.Map:
                {
                    var map = new JsonObject();
                    foreach (var (key, item) in Expect<JsonObject>(value, path, "a map"))
                    {
                        if (item is not null)
                        {
                            map[key] = ToWire(shape.Value, item, $"{path}.{key}", timestampFormat);
                        }
                    }

                    return map;
                }

            case ShapeType.Timestamp:
                {
                    var time = Timestamp(value, path);
                    return (shape.TimestampFormat ?? timestampFormat) switch
                    {
                        UnixTimestamp => JsonValue.Create(time.ToUnixTimeMilliseconds() / 1000m),
                        Rfc822 => JsonValue.Create(time.ToString("r", CultureInfo.InvariantCulture)),
                        _ => JsonValue.Create(IsoText(time)),
                    };
                }

            default:
                return value.DeepClone();
        }
    }

    /// <summary>
    /// A query-protocol form's fields for a structure's members (lists as <c>Name.member.N</c>, maps as <c>Name.entry.N.key</c>).
    /// </summary>
    private static void FlattenMembers(Shape shape, JsonObject tree, string prefix, List<KeyValuePair<string, string>> fields)
    {
        foreach (var member in shape.Members)
        {
            if (tree[member.WireName] is { } value)
            {
                Flatten(member.Shape, value, Join(prefix, member.WireName), fields);
            }
        }
    }

    private static void Flatten(Shape shape, JsonNode value, string name, List<KeyValuePair<string, string>> fields)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                FlattenMembers(shape, value.AsObject(), name, fields);
                break;
            case ShapeType.List:
                {
                    var list = value.AsArray();
                    if (list.Count == 0)
                    {
                        fields.Add(new(name, "")); // an empty list is sent as the bare name
                        break;
                    }

                    var itemPrefix = shape.IsFlattened ? name + "." : $"{name}.{shape.ElementWireName ?? "member"}.";
                    for (var i = 0; i < list.Count; i++)
                    {
                        Flatten(shape.Element, list[i]!, itemPrefix + Number(i + 1), fields);
                    }

                    break;
                }

            case ShapeType.Map:
                {
                    var i = 1;
                    foreach (var (key, item) in value.AsObject())
                    {
                        fields.Add(new($"{name}.entry.{Number(i)}.key", key));
                        Flatten(shape.Value, item!, $"{name}.entry.{Number(i)}.value", fields);
                        i++;
                    }

                    break;
                }

            default:
                fields.Add(new(name, Text(shape, value, name, Iso8601)));
                break;
        }
    }

    /// <summary>A scalar as text (path labels, query values, headers, form fields).</summary>
    private static string Text(Shape shape, JsonNode value, string path, string timestampFormat)
    {
        var kind = value.GetValueKind();
        return shape.Type switch
        {
            ShapeType.String or ShapeType.Blob when kind == JsonValueKind.String => (string)value!,
            ShapeType.Boolean when kind is JsonValueKind.True or JsonValueKind.False => (bool)value ? "true" : "false",
            ShapeType.Integer or ShapeType.Long or ShapeType.Double or ShapeType.Float when kind == JsonValueKind.Number =>
                value.ToJsonString(),
            ShapeType.Timestamp => (shape.TimestampFormat ?? timestampFormat) switch
            {
                UnixTimestamp => (Timestamp(value, path).ToUnixTimeMilliseconds() / 1000m).ToString(CultureInfo.InvariantCulture),
                Rfc822 => Timestamp(value, path).ToString("r", CultureInfo.InvariantCulture),
                _ => IsoText(Timestamp(value, path)),
            },
            _ => throw new InvalidInputException(
                $"Invalid type for '{path}': expected {Expected(shape.Type)}, got {value.ToJsonString()}."),
        };
    }

    /// <summary>A timestamp given as ISO 8601 text or as epoch seconds.</summary>
    private static DateTimeOffset Timestamp(JsonNode value, string path)
    {
        var kind = value.GetValueKind();
        if (kind == JsonValueKind.Number)
        {
            var seconds = decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }

        if (kind == JsonValueKind.String
            && DateTimeOffset.TryParse((string)value!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        throw new InvalidInputException($"Invalid value for '{path}': expected a timestamp (ISO 8601 text or epoch seconds).");
    }

    /// <summary>ISO 8601 in UTC as botocore writes it: whole seconds, or with milliseconds when there are any.</summary>
    private static string IsoText(DateTimeOffset time) =>
        time.UtcDateTime.ToString(time.Millisecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
            CultureInfo.InvariantCulture);

    private static byte[] Base64(JsonNode value, string path)
    {
        try
        {
            return Convert.FromBase64String(Expect<JsonValue>(value, path, "base64 text").GetValue<string>());
        }
        catch (FormatException)
        {
            throw new InvalidInputException($"Invalid value for '{path}': not base64 text.");
        }
    }

    private static T Expect<T>(JsonNode value, string path, string what)
        where T : JsonNode =>
        value as T ?? throw new InvalidInputException($"Invalid type for '{path}': expected {what}, got {value.ToJsonString()}.");

    private static JsonNode Null(string path) =>
        throw new InvalidInputException($"Invalid value for '{path}': list elements must not be null.");

    private static JsonObject NoInput(JsonObject input) =>
        input.Count == 0 ? [] : throw new InvalidInputException("The operation takes no input.");

    private static (string Path, List<KeyValuePair<string, string>> Query) SplitTemplate(string requestUri)
    {
        var question = requestUri.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return (requestUri, []);
        }

        var literal = requestUri[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2) is [var k, var v] ? new KeyValuePair<string, string>(k, v) : new(pair, ""))
            .ToList();
        return (requestUri[..question], literal);
    }

    private static string PathOf(string requestUri) => SplitTemplate(requestUri).Path;

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Number(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static string Expected(ShapeType type) => type switch
    {
        ShapeType.String => "a string",
        ShapeType.Blob => "base64 text",
        ShapeType.Boolean => "a boolean",
        ShapeType.Timestamp => "a timestamp",
        _ => "a number",
    };

    [GeneratedRegex(@"\{(?<name>[^}+]+)(?<greedy>\+)?\}")]
    private static partial Regex Label();

    /// <summary>An input the model refuses, found while writing (the message names the member).</summary>
    private sealed class InvalidInputException(string message) : Exception(message);
}
