using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ampstack.Aws.RestJson;

/// <summary>How timestamps travel inside the codec and on the rest-json wire.</summary>
internal static class TimestampConverters
{
    /// <summary>
    /// rest-json's default timestamp format: epoch seconds as a number (with milliseconds as a fraction), which the JS SDK
    /// requires and botocore accepts.
    /// </summary>
    public sealed class EpochSeconds : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Members.ReadValue(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
    }

    /// <summary>
    /// The codec's own form, keyed by member names: ISO 8601 text out; in, ISO 8601 text or epoch seconds (what the parser
    /// took from a rest-json body).
    /// </summary>
    public sealed class Members : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ReadValue(ref reader);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));

        internal static DateTimeOffset ReadValue(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(reader.GetDecimal() * 1000));
            }

            return DateTimeOffset.Parse(reader.GetString() ?? "", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        }
    }
}
