using System.Text.Json;
using System.Text.Json.Nodes;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;

namespace Ampstack.Bench.Serialization;

/// <summary>
/// How responses were written before the typed surface (kept here as the benchmark's "before"): the provider built a
/// JsonObject keyed by member names, and this walked it with the model.
/// Writes an operation's output (keyed by model member names) as the rest-json body: wire names from the model, members
/// in model order, absent and null members omitted. A value that does not fit its shape is a server bug and throws.
/// </summary>
internal static class JsonObjectWriter
{
    public static byte[] Serialize(Shape? output, JsonObject? value)
    {
        using var body = SerializePooled(output, value);
        return body.ToArray();
    }

    /// <summary>The body in pooled segments: the caller sends it and disposes it.</summary>
    public static PooledBody SerializePooled(Shape? output, JsonObject? value)
    {
        var buffer = new PooledBody();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (output is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                WriteValue(writer, output, value ?? [], output.Name);
            }
        }

        return buffer;
    }

    private static void WriteValue(Utf8JsonWriter writer, Shape shape, JsonNode node, string path)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                {
                    var obj = node as JsonObject ?? throw Mismatch(path, shape);
                    foreach (var (name, _) in obj)
                    {
                        if (!shape.MembersByName.ContainsKey(name))
                        {
                            throw new InvalidOperationException($"{path}: {shape.Name} has no member {name}");
                        }
                    }

                    writer.WriteStartObject();
                    foreach (var member in shape.Members)
                    {
                        if (obj[member.Name] is { } child)
                        {
                            writer.WritePropertyName(member.WireName);
                            WriteValue(writer, member.Shape, child, $"{path}.{member.Name}");
                        }
                    }

                    writer.WriteEndObject();
                    break;
                }

            case ShapeType.List:
                {
                    var array = node as JsonArray ?? throw Mismatch(path, shape);
                    writer.WriteStartArray();
                    foreach (var element in array)
                    {
                        WriteValue(writer, shape.Element, element ?? throw Mismatch(path, shape), path + "[]");
                    }

                    writer.WriteEndArray();
                    break;
                }

            case ShapeType.Map:
                {
                    var obj = node as JsonObject ?? throw Mismatch(path, shape);
                    writer.WriteStartObject();
                    foreach (var (key, child) in obj)
                    {
                        if (child is not null)
                        {
                            writer.WritePropertyName(key);
                            WriteValue(writer, shape.Value, child, $"{path}.{key}");
                        }
                    }

                    writer.WriteEndObject();
                    break;
                }

            case ShapeType.String:
            case ShapeType.Blob:
                writer.WriteStringValue(Scalar<string>(node, path, shape));
                break;
            case ShapeType.Boolean:
                writer.WriteBooleanValue(Scalar<bool>(node, path, shape));
                break;
            case ShapeType.Integer:
            case ShapeType.Long:
                writer.WriteNumberValue(Scalar<long>(node, path, shape));
                break;
            case ShapeType.Double:
            case ShapeType.Float:
                writer.WriteNumberValue(Scalar<double>(node, path, shape));
                break;
            case ShapeType.Timestamp:
                node.WriteTo(writer);
                break;
            default:
                throw new NotSupportedException(shape.Type.ToString());
        }
    }

    private static T Scalar<T>(JsonNode node, string path, Shape shape) =>
        node is JsonValue value && value.TryGetValue<T>(out var result) ? result : throw Mismatch(path, shape);

    private static InvalidOperationException Mismatch(string path, Shape shape) =>
        new($"{path}: the value does not fit shape {shape.Name} ({shape.Type})");
}
