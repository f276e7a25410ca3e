using System.Security.Cryptography;
using System.Text;
using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Processing;

namespace Ampstack.ModelGen.Output;

/// <summary>
/// The DataStore schema's <c>version</c>: <c>computeVersion</c> in the plugin's appsync-visitor, an MD5 over
/// <c>JSON.stringify</c> of the models and non-models (sorted by name) with their key directives and their fields
/// (sorted by name) as <c>{name, directives, type, isNullable, isList, isListNullable}</c>.
/// </summary>
internal static class VersionHash
{
    private static readonly string[] V2TypeDirectives = ["primaryKey", "index"];
    private static readonly string[] V1TypeDirectives = ["key"];
    private static readonly string[] V2FieldDirectives = ["hasOne", "belongsTo", "hasMany", "manyToMany"];
    private static readonly string[] V1FieldDirectives = ["connection"];

    public static string Compute(CgSchema schema, GeneratorOptions options)
    {
        var typeDirectives = options.IsV2 ? V2TypeDirectives : V1TypeDirectives;
        var fieldDirectives = options.IsV2 ? V2FieldDirectives : V1FieldDirectives;
        var types = schema.Models.Values.Concat(schema.NonModels.Values).OrderBy(t => t.Name, StringComparer.Ordinal);
        using var json = new JsonText(0, 4096 + (1000 * (schema.Models.Count + schema.NonModels.Count)));
        json.BeginArray();
        foreach (var type in types)
        {
            json.Element().BeginObject().Member("name", type.Name);
            WriteDirectives(json, type.Directives, typeDirectives);
            json.Key("fields").BeginArray();
            foreach (var field in type.Fields.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                json.Element().BeginObject().Member("name", field.Name);
                WriteDirectives(json, field.Directives, fieldDirectives);
                json.Member("type", field.Type).Member("isNullable", field.IsNullable).Member("isList", field.IsList);
                if (field.IsListNullable is { } listNullable)
                {
                    json.Member("isListNullable", listNullable);
                }

                json.EndObject();
            }

            json.EndArray().EndObject();
        }

        json.EndArray();
        return Md5Hex(json);
    }

    /// <summary>MD5 of the UTF-8 text, encoded piece by piece into a small buffer.</summary>
    private static string Md5Hex(JsonText json)
    {
        const int Piece = 8192;
        var buffer = new byte[Encoding.UTF8.GetMaxByteCount(Piece)];
        var encoder = Encoding.UTF8.GetEncoder();
#pragma warning disable CA5351 // Not security: the format is defined as an MD5 by the reference generator.
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
#pragma warning restore CA5351
        var chars = json.Written;
        do
        {
            var part = chars[..Math.Min(chars.Length, Piece)];
            chars = chars[part.Length..];
            var count = encoder.GetBytes(part, buffer, flush: chars.IsEmpty);
            md5.AppendData(buffer, 0, count);
        }
        while (!chars.IsEmpty);

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    /// <summary>The directive objects as the plugin holds them: <c>{name, arguments, fieldName?}</c>.</summary>
    private static void WriteDirectives(JsonText json, List<CgDirective> directives, string[] names)
    {
        json.Key("directives").BeginArray();
        foreach (var directive in directives)
        {
            if (Array.IndexOf(names, directive.Name) < 0)
            {
                continue;
            }

            json.Element().BeginObject().Member("name", directive.Name).Key("arguments").Value(directive.Arguments);
            if (directive.FieldName is { } fieldName)
            {
                json.Member("fieldName", fieldName);
            }

            json.EndObject();
        }

        json.EndArray();
    }
}
