using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.RestJson;

/// <summary>
/// Turns a request into the operation's input, keyed by model member names, validated against the model: types, required
/// members, enum values and ranges, and no NUL character in any string. Any violation is a 400 that names the member by
/// its wire path. The body is JSON (rest-json; the query protocol hands its form over as the same JSON); path, query and
/// header members come as text.
/// There is no per-operation code here.
/// </summary>
public static class RequestParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static JsonObject Parse(
        Operation operation,
        IReadOnlyDictionary<string, string> uriLabels,
        IReadOnlyList<KeyValuePair<string, string>> query,
        ReadOnlyMemory<byte> body,
        IHeaderDictionary? headers = null)
    {
        var result = new JsonObject();
        var input = operation.Input;
        if (input is null)
        {
            RejectNonEmptyBody(body);
            return result;
        }

        foreach (var member in input.MembersAt(MemberLocation.Uri))
        {
            if (!uriLabels.TryGetValue(member.WireName, out var value) || value.Length == 0)
            {
                throw ProtocolErrors.BadRequest($"The path parameter '{member.WireName}' must not be empty.");
            }

            RequireNoNul(value, member.WireName);
            result[member.Name] = value;
        }

        foreach (var member in input.MembersAt(MemberLocation.QueryString))
        {
            if (member.Shape.Type == ShapeType.List)
            {
                // A list travels as the key repeated (tagKeys=a&tagKeys=b), each value an element.
                var values = query.Where(q => q.Key == member.WireName)
                    .Select((q, i) => (JsonNode?)ParseScalarText(member.Shape.Element, q.Value, $"{member.WireName}[{i}]"))
                    .ToArray();
                if (values.Length > 0)
                {
                    CheckLength(member.Shape, values.Length, member.WireName);
                    result[member.Name] = new JsonArray(values);
                }
            }
            // The last value wins when a key repeats.
            else if (LastValue(query, member.WireName) is { } value)
            {
                result[member.Name] = ParseScalarText(member.Shape, value, member.WireName);
            }
        }

        if (headers is not null)
        {
            foreach (var member in input.MembersAt(MemberLocation.Header))
            {
                if (headers.TryGetValue(member.WireName, out var sent))
                {
                    var value = sent.ToString();
                    result[member.Name] = ParseScalarText(member.Shape, value, member.WireName);
                }
            }
        }

        ParseBody(input, body, result);
        foreach (var member in input.RequiredMembers)
        {
            if (member.Location is not (MemberLocation.Body or MemberLocation.QueryString))
            {
                continue;
            }

            if (result[member.Name] is null)
            {
                throw MissingMember(member.WireName);
            }
        }

        return result;
    }

    private static void RejectNonEmptyBody(ReadOnlyMemory<byte> body)
    {
        if (IsBlank(body.Span))
        {
            return;
        }

        using var doc = ParseDocument(body);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || doc.RootElement.EnumerateObject().Any())
        {
            throw ProtocolErrors.BadRequest("This operation takes no request body.");
        }
    }

    private static void ParseBody(Shape input, ReadOnlyMemory<byte> body, JsonObject result)
    {
        if (IsBlank(body.Span))
        {
            return;
        }

        using var doc = ParseDocument(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ProtocolErrors.BadRequest($"The request body must be a JSON object, not {Describe(root.ValueKind)}.");
        }

        try
        {
            foreach (var property in root.EnumerateObject())
            {
                if (!input.MembersByWireName.TryGetValue(property.Name, out var member))
                {
                    throw ProtocolErrors.BadRequest($"Unknown member '{property.Name}' in the request body.");
                }

                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    result[member.Name] = ParseValue(member.Shape, property.Value, property.Name);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json decodes strings lazily: invalid UTF-8 or an unpaired surrogate escape surfaces here.
            throw ProtocolErrors.BadRequest("The request body contains a string that is not valid UTF-8 text.");
        }
    }

    private static JsonDocument ParseDocument(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException ex)
        {
            if (NestsDeeperThan(body.Span, DocumentOptions.MaxDepth))
            {
                throw ProtocolErrors.BadRequest(
                    $"The request body nests JSON objects and arrays deeper than {DocumentOptions.MaxDepth} levels.");
            }

            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            throw ProtocolErrors.BadRequest($"The request body is not valid JSON{where}.");
        }
    }

    /// <summary>
    /// True when brackets outside strings nest deeper than <paramref name="maxDepth"/> (only asked after a parse failed).
    /// </summary>
    private static bool NestsDeeperThan(ReadOnlySpan<byte> body, int maxDepth)
    {
        var depth = 0;
        var inString = false;
        for (var i = 0; i < body.Length; i++)
        {
            var b = body[i];
            if (inString)
            {
                if (b == (byte)'\\')
                {
                    i++;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b == (byte)'"')
            {
                inString = true;
            }
            else if (b is (byte)'[' or (byte)'{')
            {
                if (++depth > maxDepth)
                {
                    return true;
                }
            }
            else if (b is (byte)']' or (byte)'}')
            {
                depth--;
            }
        }

        return false;
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    private static JsonNode ParseValue(Shape shape, JsonElement value, string path)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                return ParseStructure(shape, value, path);
            case ShapeType.List:
                {
                    Expect(value, JsonValueKind.Array, "a list", path);
                    var list = new JsonArray();
                    var i = 0;
                    foreach (var element in value.EnumerateArray())
                    {
                        var elementPath = $"{path}[{i++}]";
                        if (element.ValueKind == JsonValueKind.Null)
                        {
                            throw ProtocolErrors.BadRequest($"Invalid value for '{elementPath}': list elements must not be null.");
                        }

                        list.Add(ParseValue(shape.Element, element, elementPath));
                    }

                    CheckLength(shape, list.Count, path);
                    return list;
                }

            case ShapeType.Map:
                {
                    Expect(value, JsonValueKind.Object, "a map", path);
                    var map = new JsonObject();
                    foreach (var entry in value.EnumerateObject())
                    {
                        RequireNoNul(entry.Name, path);
                        if (entry.Value.ValueKind != JsonValueKind.Null)
                        {
                            map[entry.Name] = ParseValue(shape.Value, entry.Value, $"{path}.{entry.Name}");
                        }
                    }

                    return map;
                }

            case ShapeType.String:
                {
                    Expect(value, JsonValueKind.String, "a string", path);
                    var text = value.GetString()!;
                    CheckString(shape, text, path);
                    return JsonValue.Create(text);
                }

            case ShapeType.Boolean:
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw WrongType(path, "a boolean", value.ValueKind);
                }

                return JsonValue.Create(value.GetBoolean());
            case ShapeType.Integer:
            case ShapeType.Long:
                {
                    Expect(value, JsonValueKind.Number, "an integer", path);
                    if (!value.TryGetInt64(out var number)
                        || (shape.Type == ShapeType.Integer && number is < int.MinValue or > int.MaxValue))
                    {
                        throw ProtocolErrors.BadRequest($"Invalid value for '{path}': {value.GetRawText()} is not an integer in range.");
                    }

                    CheckRange(shape, number, path);
                    return JsonValue.Create(number);
                }

            case ShapeType.Double:
            case ShapeType.Float:
                {
                    Expect(value, JsonValueKind.Number, "a number", path);
                    var number = value.GetDouble();
                    if (!double.IsFinite(number))
                    {
                        throw ProtocolErrors.BadRequest($"Invalid value for '{path}': the number is out of range.");
                    }

                    return JsonValue.Create(number);
                }

            case ShapeType.Timestamp:
                if (value.ValueKind is JsonValueKind.Number or JsonValueKind.String)
                {
                    if (value.ValueKind == JsonValueKind.String)
                    {
                        RequireNoNul(value.GetString()!, path);
                    }

                    return JsonNode.Parse(value.GetRawText())!;
                }

                throw WrongType(path, "a timestamp", value.ValueKind);
            case ShapeType.Blob:
                {
                    Expect(value, JsonValueKind.String, "a base64 string", path);
                    var text = value.GetString()!;
                    RequireNoNul(text, path);
                    return JsonValue.Create(text);
                }

            default:
                throw new NotSupportedException(shape.Type.ToString());
        }
    }

    private static JsonObject ParseStructure(Shape shape, JsonElement value, string path)
    {
        Expect(value, JsonValueKind.Object, "an object", path);
        var result = new JsonObject();
        foreach (var property in value.EnumerateObject())
        {
            var memberPath = $"{path}.{property.Name}";
            if (!shape.MembersByWireName.TryGetValue(property.Name, out var member))
            {
                throw ProtocolErrors.BadRequest($"Unknown member '{memberPath}' in the request body.");
            }

            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                result[member.Name] = ParseValue(member.Shape, property.Value, memberPath);
            }
        }

        foreach (var member in shape.RequiredMembers)
        {
            if (result[member.Name] is null)
            {
                throw MissingMember($"{path}.{member.WireName}");
            }
        }

        return result;
    }

    private static JsonValue ParseScalarText(Shape shape, string raw, string path) => shape.Type switch
    {
        ShapeType.String => CheckedString(shape, raw, path),
        ShapeType.Integer or ShapeType.Long when long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            => CheckedNumber(shape, n, path),
        ShapeType.Boolean when bool.TryParse(raw, out var b) => JsonValue.Create(b),
        ShapeType.Timestamp when ParseTimestampText(raw) is { } time => JsonValue.Create(time.ToString("O", CultureInfo.InvariantCulture)),
        _ => throw ProtocolErrors.BadRequest($"Invalid value for '{path}': '{raw}'."),
    };

    /// <summary>A timestamp in text: an HTTP date (headers), ISO 8601, or epoch seconds.</summary>
    private static DateTimeOffset? ParseTimestampText(string raw)
    {
        if (DateTimeOffset.TryParseExact(raw, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var http)
            || DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out http))
        {
            return http;
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            && Math.Abs(seconds) < 253_402_300_799
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : null;
    }

    private static JsonValue CheckedString(Shape shape, string text, string path)
    {
        CheckString(shape, text, path);
        return JsonValue.Create(text);
    }

    private static JsonValue CheckedNumber(Shape shape, long number, string path)
    {
        CheckRange(shape, number, path);
        return JsonValue.Create(number);
    }

    private static void CheckString(Shape shape, string text, string path)
    {
        RequireNoNul(text, path);
        if (shape.EnumValues.Count > 0 && !shape.EnumValues.Contains(text, StringComparer.Ordinal))
        {
            throw ProtocolErrors.BadRequest(
                $"Invalid value for '{path}': '{Truncate(text)}' is not one of [{string.Join(", ", shape.EnumValues)}].");
        }

        CheckLength(shape, text.Length, path);
    }

    /// <summary>
    /// No string may contain the NUL character (U+0000), wherever it comes from (path, query, body, map keys): one of the
    /// stores cannot hold it (PostgreSQL's text, and a <c>\u0000</c> escape in its JSON), and every store must accept the
    /// same inputs. The domain states the same rule, in the same words, for text that arrives by other ways.
    /// </summary>
    private static void RequireNoNul(string text, string path)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw ProtocolErrors.BadRequest($"Invalid value for '{path}': must not contain the NUL character (U+0000).");
        }
    }

    private static void CheckLength(Shape shape, long length, string path)
    {
        if (length < shape.Min || length > shape.Max)
        {
            throw ProtocolErrors.BadRequest($"Invalid length for '{path}': must be between {shape.Min} and {shape.Max}.");
        }
    }

    private static void CheckRange(Shape shape, long number, string path)
    {
        if (number < shape.Min)
        {
            throw ProtocolErrors.BadRequest($"Invalid value for '{path}': {number} is less than the minimum of {shape.Min}.");
        }

        if (number > shape.Max)
        {
            throw ProtocolErrors.BadRequest($"Invalid value for '{path}': {number} is greater than the maximum of {shape.Max}.");
        }
    }

    private static void Expect(JsonElement value, JsonValueKind kind, string what, string path)
    {
        if (value.ValueKind != kind)
        {
            throw WrongType(path, what, value.ValueKind);
        }
    }

    private static WireRefusalException WrongType(string path, string expected, JsonValueKind actual) =>
        ProtocolErrors.BadRequest($"Invalid type for '{path}': expected {expected}, got {Describe(actual)}.");

    private static WireRefusalException MissingMember(string path) =>
        ProtocolErrors.BadRequest($"Missing required member '{path}'.");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "...";

    /// <summary>The value of the last query parameter named <paramref name="name"/>; null when none is.</summary>
    private static string? LastValue(IReadOnlyList<KeyValuePair<string, string>> query, string name)
    {
        for (var i = query.Count - 1; i >= 0; i--)
        {
            if (query[i].Key == name)
            {
                return query[i].Value;
            }
        }

        return null;
    }
}
