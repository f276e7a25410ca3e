using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;

namespace Ampstack.Bench.Serialization;

/// <summary>
/// The "through the model" candidate for typed outputs: walks the output's shape in the model, member by member, and
/// reads each member from the typed object through its System.Text.Json property getter.
/// </summary>
internal sealed class ModelWalkWriter(IJsonTypeInfoResolver shapes)
{
    private readonly JsonSerializerOptions _options = new() { TypeInfoResolver = shapes };
    private readonly Dictionary<Type, Dictionary<string, JsonPropertyInfo>> _properties = [];

    public PooledBody Write(Shape shape, object value)
    {
        var body = new PooledBody();
        using (var writer = new Utf8JsonWriter(body))
        {
            Write(writer, shape, value);
        }

        return body;
    }

    private void Write(Utf8JsonWriter writer, Shape shape, object value)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                var properties = Properties(value.GetType());
                writer.WriteStartObject();
                foreach (var member in shape.Members)
                {
                    if (member.Location == MemberLocation.Body && properties[member.Name].Get!(value) is { } child)
                    {
                        writer.WritePropertyName(member.WireName);
                        Write(writer, member.Shape, child);
                    }
                }

                writer.WriteEndObject();
                break;
            case ShapeType.List:
                writer.WriteStartArray();
                foreach (var element in (IEnumerable)value)
                {
                    Write(writer, shape.Element, element!);
                }

                writer.WriteEndArray();
                break;
            case ShapeType.String:
                writer.WriteStringValue((string)value);
                break;
            case ShapeType.Boolean:
                writer.WriteBooleanValue((bool)value);
                break;
            case ShapeType.Integer:
                writer.WriteNumberValue((int)value);
                break;
            case ShapeType.Long:
                writer.WriteNumberValue((long)value);
                break;
            case ShapeType.Double:
                writer.WriteNumberValue((double)value);
                break;
            default:
                throw new NotSupportedException(shape.Type.ToString());
        }
    }

    private Dictionary<string, JsonPropertyInfo> Properties(Type type)
    {
        if (!_properties.TryGetValue(type, out var properties))
        {
            properties = _options.GetTypeInfo(type).Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
            _properties[type] = properties;
        }

        return properties;
    }
}
