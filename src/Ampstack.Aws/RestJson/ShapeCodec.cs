using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.RestJson;

/// <summary>
/// Maps between a service's typed shapes and the wire, through the service's generated System.Text.Json metadata, whose
/// property names are the model's member names: an input, validated by <see cref="RequestParser"/> and keyed by member
/// names, becomes its typed form; a typed output is written with the model's wire names, in model order, null members
/// omitted (rest-json), or handed over keyed by member names (<see cref="ToMembers(Type, object)"/>) for the XML protocols. Every type
/// is checked against its shape once, at start: a type and a model that disagree do not start.
/// </summary>
public sealed class ShapeCodec
{
    private readonly ServiceModel _model;
    private readonly JsonSerializerOptions _members;
    private readonly JsonSerializerOptions _wire;
    private readonly ConditionalWeakTable<object, byte[]> _written = [];

    /// <summary>
    /// The metadata of each type read or written, by member names and by wire names: JsonSerializerOptions.GetTypeInfo
    /// checks on every call that the type can be serialized at all (pointer, by-ref, open generic), 1.8% of a
    /// GetBackendJob's time. Bounded by the service's shape types.
    /// </summary>
    private readonly ConcurrentDictionary<Type, JsonTypeInfo> _memberInfos = new();
    private readonly ConcurrentDictionary<Type, JsonTypeInfo> _wireInfos = new();

    public ShapeCodec(ServiceModel model, IJsonTypeInfoResolver shapes)
    {
        _model = model;
        _members = new JsonSerializerOptions
        {
            TypeInfoResolver = shapes,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new TimestampConverters.Members() },
        };
        _wire = new JsonSerializerOptions
        {
            TypeInfoResolver = shapes.WithAddedModifier(UseWireNames),
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new TimestampConverters.EpochSeconds() },
        };
        _members.MakeReadOnly();
        _wire.MakeReadOnly();
    }

    private JsonTypeInfo MembersOf(Type type) => _memberInfos.GetOrAdd(type, static (t, options) => options.GetTypeInfo(t), _members);

    private JsonTypeInfo WireOf(Type type) => _wireInfos.GetOrAdd(type, static (t, options) => options.GetTypeInfo(t), _wire);

    /// <summary>The typed form of an input keyed by member names.</summary>
    public object Read(Type type, JsonObject input) =>
        input.Deserialize(MembersOf(type)) ?? throw new InvalidOperationException($"{type.Name} read as null");

    /// <summary>A typed output as its rest-json body, in pooled segments: the caller sends it and disposes it.</summary>
    public PooledBody Write(Type type, object output)
    {
        var body = new PooledBody();
        using (var writer = new Utf8JsonWriter(body))
        {
            JsonSerializer.Serialize(writer, output, WireOf(type));
        }

        return body;
    }

    /// <summary>
    /// <see cref="Write(Type, object)"/> for an output that is given again unchanged: its body is written the first time
    /// and kept for as long as the output itself lives.
    /// </summary>
    public byte[] WriteOnce(Type type, object output) =>
        _written.TryGetValue(output, out var kept) ? kept : WriteAndKeep(type, output);

    private byte[] WriteAndKeep(Type type, object output)
    {
        using var body = Write(type, output);
        var bytes = body.ToArray();
        _written.AddOrUpdate(output, bytes);
        return bytes;
    }

    /// <summary>
    /// A typed output keyed by member names (every member, wherever it travels; timestamps as ISO 8601 text, blobs as
    /// base64): what the XML protocols write from.
    /// </summary>
    public JsonObject ToMembers(Type type, object output) =>
        JsonSerializer.SerializeToNode(output, MembersOf(type)) as JsonObject
        ?? throw new InvalidOperationException($"{type.Name} did not write as an object");

    /// <summary>
    /// <see cref="ToMembers(Type, object)"/> but for the blob payload <paramref name="payload"/>, handed over as its bytes:
    /// an object's body goes to the wire as it is, not through base64 and back (which was a fifth of an S3 GetObject's
    /// time writing its answer).
    /// </summary>
    public (JsonObject Members, byte[]? Payload) ToMembers(Type type, object output, string payload)
    {
        var members = new JsonObject();
        byte[]? bytes = null;
        foreach (var property in MembersOf(type).Properties)
        {
            if (property.Get?.Invoke(output) is not { } value)
            {
                continue;
            }

            if (property.Name == payload)
            {
                bytes = (byte[])value;
                continue;
            }

            members[property.Name] = JsonSerializer.SerializeToNode(value, MembersOf(property.PropertyType));
        }

        return (members, bytes);
    }

    /// <summary>Checks that <paramref name="type"/> and every type inside it match <paramref name="shape"/> member for member.</summary>
    public void Verify(Type type, Shape shape) => Verify(type, shape, []);

    private void Verify(Type type, Shape shape, HashSet<Type> seen)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                if (type.Name != shape.Name)
                {
                    throw Mismatch(type, shape);
                }

                if (!seen.Add(type))
                {
                    return;
                }

                _ = _wire.GetTypeInfo(type); // names its members for the wire, or says which do not match
                foreach (var property in _members.GetTypeInfo(type).Properties)
                {
                    Verify(Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType,
                        shape.MembersByName[property.Name].Shape, seen);
                }

                break;
            case ShapeType.List:
            case ShapeType.Map:
                var element = _members.GetTypeInfo(type).ElementType ?? throw Mismatch(type, shape);
                Verify(Nullable.GetUnderlyingType(element) ?? element, shape.Type == ShapeType.List ? shape.Element : shape.Value, seen);
                break;
            default:
                var expected = shape.Type switch
                {
                    ShapeType.String => typeof(string),
                    ShapeType.Boolean => typeof(bool),
                    ShapeType.Integer => typeof(int),
                    ShapeType.Long => typeof(long),
                    ShapeType.Double or ShapeType.Float => typeof(double),
                    ShapeType.Timestamp => typeof(DateTimeOffset),
                    ShapeType.Blob => typeof(byte[]),
                    _ => null,
                };
                if (type != expected)
                {
                    throw Mismatch(type, shape);
                }

                break;
        }
    }

    private static InvalidOperationException Mismatch(Type type, Shape shape) =>
        new($"{type.Name} does not fit the model's {shape.Name} ({shape.Type}).");

    /// <summary>Names each property of a structure type as its member travels on the wire.</summary>
    private void UseWireNames(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        if (!_model.Shapes.TryGetValue(info.Type.Name, out var shape) || shape.Type != ShapeType.Structure)
        {
            throw new InvalidOperationException($"{info.Type.Name} is not a structure shape of the {_model.ServiceId} model.");
        }

        var names = info.Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var missing = shape.Members.Where(m => !names.Contains(m.Name)).Select(m => m.Name).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{info.Type.Name} lacks the model's members {string.Join(", ", missing)}.");
        }

        foreach (var property in info.Properties)
        {
            var member = shape.MembersByName.GetValueOrDefault(property.Name)
                ?? throw new InvalidOperationException($"{info.Type.Name}.{property.Name} is not a member of the model's {shape.Name}.");
            if (member.Location != MemberLocation.Body)
            {
                // Path and query members arrive outside the body; the parser has put them in the input already.
                property.ShouldSerialize = static (_, _) => false;
                continue;
            }

            property.Name = member.WireName;
        }
    }
}
