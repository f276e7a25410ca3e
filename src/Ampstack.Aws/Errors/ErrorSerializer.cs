using System.Text.Json;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Errors;

/// <summary>
/// Writes an error as rest-json and json clients read it: status from the error shape, <c>x-amzn-ErrorType: ShapeName</c>,
/// and a body with <c>message</c> and the shape's other members under their wire names (the json protocol's also with
/// <c>__type</c>, the code).
/// </summary>
public static class ErrorSerializer
{
    /// <summary>
    /// The longest message sent: messages quote what the client sent (an identifier, a value), and an answer should not
    /// grow with a megabyte of input.
    /// </summary>
    public const int MaxMessageLength = 1024;

    public static (int Status, byte[] Body) Serialize(ServiceModel model, AwsErrorException error, bool withType = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(error);
        model.Shapes.TryGetValue(error.ErrorType, out var shape);
        var status = error.Status ?? shape?.Error?.HttpStatusCode ?? 400;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (withType)
            {
                writer.WriteString("__type", Code(model, error));
            }

            var messageName = shape?.MembersByName.TryGetValue("Message", out var m) == true ? m.WireName : "message";
            writer.WriteString(messageName, Shorten(error.Message));
            foreach (var (name, value) in error.Members)
            {
                var wireName = shape?.MembersByName.TryGetValue(name, out var member) == true
                    ? member.WireName
                    : throw new InvalidOperationException($"Error shape {error.ErrorType} has no member {name}");
                writer.WriteString(wireName, Shorten(value));
            }

            writer.WriteEndObject();
        }

        return (status, buffer.ToArray());
    }

    /// <summary>The code an error travels under: its shape's <c>error.code</c> when the model gives one, else its shape name.</summary>
    public static string Code(ServiceModel model, AwsErrorException error)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(error);
        return model.Shapes.GetValueOrDefault(error.ErrorType)?.Error?.Code ?? error.ErrorType;
    }

    /// <summary>A message cut to <see cref="MaxMessageLength"/>.</summary>
    public static string Shorten(string text)
    {
        if (text.Length <= MaxMessageLength)
        {
            return text;
        }

        var cut = MaxMessageLength - 3;
        if (char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "...");
    }
}
