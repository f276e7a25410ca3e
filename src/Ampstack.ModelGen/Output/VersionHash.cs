using System.Security.Cryptography;
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
            json.Element().BeginObject().Member("name"u8, type.Name);
            WriteDirectives(json, type.Directives, typeDirectives);
            json.Key("fields"u8).BeginArray();
            foreach (var field in type.Fields.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                json.Element().BeginObject().Member("name"u8, field.Name);
                WriteDirectives(json, field.Directives, fieldDirectives);
                json.Member("type"u8, field.Type).Member("isNullable"u8, field.IsNullable).Member("isList"u8, field.IsList);
                if (field.IsListNullable is { } listNullable)
                {
                    json.Member("isListNullable"u8, listNullable);
                }

                json.EndObject();
            }

            json.EndArray().EndObject();
        }

        json.EndArray();
        return Md5Hex(json);
    }

    private static string Md5Hex(JsonText json)
    {
#pragma warning disable CA5351 // Not security: the format is defined as an MD5 by the reference generator.
        return Convert.ToHexStringLower(MD5.HashData(json.Written));
#pragma warning restore CA5351
    }

    /// <summary>The directive objects as the plugin holds them: <c>{name, arguments, fieldName?}</c>.</summary>
    private static void WriteDirectives(JsonText json, List<CgDirective> directives, string[] names)
    {
        json.Key("directives"u8).BeginArray();
        foreach (var directive in directives)
        {
            if (Array.IndexOf(names, directive.Name) < 0)
            {
                continue;
            }

            json.Element().BeginObject().Member("name"u8, directive.Name).Key("arguments"u8).Value(directive.Arguments);
            if (directive.FieldName is { } fieldName)
            {
                json.Member("fieldName"u8, fieldName);
            }

            json.EndObject();
        }

        json.EndArray();
    }
}
