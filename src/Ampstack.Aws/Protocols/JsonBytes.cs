using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ampstack.Aws.Protocols;

/// <summary>
/// A JSON tree as UTF-8 bytes, written by the node itself: no serializer, so no reflection, and the server stays
/// publishable ahead of time (<c>AMPSTACK_BUILD=aot</c>).
/// </summary>
public static class JsonBytes
{
    public static byte[] Of(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
