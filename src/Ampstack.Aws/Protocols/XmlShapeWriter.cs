using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Protocols;

/// <summary>
/// Writes a shape's members as XML, as the rest-xml and query protocols define it: structures as elements named by the
/// member's wire name, lists wrapped (elements <c>member</c>, or the list's own element name) or flattened, maps as
/// <c>entry</c>/<c>key</c>/<c>value</c>, timestamps in ISO 8601 with milliseconds, blobs in base64, booleans in lower case.
/// </summary>
public static class XmlShapeWriter
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,
        OmitXmlDeclaration = false,
    };

    /// <summary>Writes a whole XML document: the declaration, then what <paramref name="write"/> writes.</summary>
    public static byte[] Document(Action<XmlWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>The body members of <paramref name="shape"/> found in <paramref name="node"/>, each as its element.</summary>
    public static void WriteMembers(XmlWriter writer, Shape shape, JsonObject node)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(node);
        foreach (var member in shape.Members)
        {
            if (member.Location != MemberLocation.Body || node[member.Name] is not { } value)
            {
                continue;
            }

            WriteValue(writer, member.WireName, member.Shape, value);
        }
    }

    /// <summary>A scalar as XML text (and header) form.</summary>
    public static string Text(Shape shape, JsonNode value)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(value);
        return shape.Type switch
        {
            ShapeType.Timestamp => Iso8601((string)value!),
            ShapeType.Boolean => (bool)value ? "true" : "false",
            ShapeType.String or ShapeType.Blob => Clean((string)value!),
            _ => value.ToJsonString(),
        };
    }

    /// <summary>Text XML can carry: each character XML 1.0 forbids (control characters) becomes U+FFFD.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(c => !XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c)))
        {
            return text;
        }

        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            clean.Append(XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c : '\uFFFD');
        }

        return clean.ToString();
    }

    /// <summary>A timestamp as AWS's XML protocols write it: <c>2026-12-06T13:14:00.000Z</c>.</summary>
    public static string Iso8601(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void WriteValue(XmlWriter writer, string name, Shape shape, JsonNode value)
    {
        switch (shape.Type)
        {
            case ShapeType.Structure:
                writer.WriteStartElement(name);
                WriteMembers(writer, shape, value.AsObject());
                writer.WriteEndElement();
                break;
            case ShapeType.List:
                if (shape.IsFlattened)
                {
                    foreach (var item in value.AsArray())
                    {
                        WriteValue(writer, name, shape.Element, item!);
                    }

                    break;
                }

                writer.WriteStartElement(name);
                foreach (var item in value.AsArray())
                {
                    WriteValue(writer, shape.ElementWireName ?? "member", shape.Element, item!);
                }

                writer.WriteEndElement();
                break;
            case ShapeType.Map:
                writer.WriteStartElement(name);
                foreach (var (key, item) in value.AsObject())
                {
                    writer.WriteStartElement("entry");
                    writer.WriteElementString("key", Clean(key));
                    WriteValue(writer, "value", shape.Value, item!);
                    writer.WriteEndElement();
                }

                writer.WriteEndElement();
                break;
            default:
                writer.WriteElementString(name, Text(shape, value));
                break;
        }
    }
}
