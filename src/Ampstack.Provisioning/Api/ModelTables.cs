using System.Text.Json.Nodes;

namespace Ampstack.Provisioning.Api;

/// <summary>A DynamoDB table for one <c>@model</c>: its key and a global secondary index per <c>@index</c>.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="HashKey">The partition key attribute (<c>id</c>, or the <c>@primaryKey</c> field).</param>
/// <param name="RangeKey">The sort key attribute, if any (several sort key fields make one <c>a#b</c> attribute, as Amplify does).</param>
/// <param name="Indexes">The global secondary indexes.</param>
/// <param name="AttributeTypes">The DynamoDB scalar type (S, N) of every key attribute.</param>
public sealed record ModelTable(string Model, string HashKey, string? RangeKey, IReadOnlyList<ModelIndex> Indexes,
    IReadOnlyDictionary<string, string> AttributeTypes)
{
    /// <summary>The table's name as Amplify makes it: model, API id, environment.</summary>
    public string TableName(string apiId, string environment) => $"{Model}-{apiId}-{environment}";
}

/// <summary>A global secondary index of a model's table.</summary>
public sealed record ModelIndex(string Name, string HashKey, string? RangeKey);

/// <summary>
/// The tables an API's schema needs, read from the model introspection schema that the model generator (Ampstack.ModelGen,
/// Amplify's codegen's twin) makes of it: so <c>@primaryKey</c> and <c>@index</c> are read by the one parser that already
/// reads them, not again here.
/// </summary>
public static class ModelTables
{
    public static IReadOnlyList<ModelTable> FromIntrospection(string introspection)
    {
        var models = JsonNode.Parse(introspection)?["models"]?.AsObject() ?? [];
        var tables = new List<ModelTable>();
        foreach (var (name, node) in models)
        {
            var model = node!.AsObject();
            var fields = model["fields"]?.AsObject() ?? [];
            var types = new Dictionary<string, string>(StringComparer.Ordinal);
            string Attribute(IReadOnlyList<string> parts)
            {
                var attribute = string.Join('#', parts);
                types[attribute] = parts.Count == 1 ? ScalarType(fields[parts[0]]?["type"]) : "S";
                return attribute;
            }

            var key = model["primaryKeyInfo"];
            var hash = Attribute([(string?)key?["primaryKeyFieldName"] ?? "id"]);
            var sortFields = (key?["sortKeyFieldNames"]?.AsArray() ?? []).Select(f => (string)f!).ToList();
            var range = sortFields.Count > 0 ? Attribute(sortFields) : null;
            var indexes = new List<ModelIndex>();
            foreach (var attribute in model["attributes"]?.AsArray() ?? [])
            {
                var properties = attribute?["properties"];
                if ((string?)attribute?["type"] != "key" || (string?)properties?["name"] is not { } indexName)
                {
                    continue;
                }

                var indexFields = (properties!["fields"]?.AsArray() ?? []).Select(f => (string)f!).ToList();
                if (indexFields.Count == 0)
                {
                    continue;
                }

                indexes.Add(new ModelIndex(indexName, Attribute([indexFields[0]]),
                    indexFields.Count > 1 ? Attribute(indexFields[1..]) : null));
            }

            tables.Add(new ModelTable(name, hash, range, indexes, types));
        }

        return tables;
    }

    /// <summary>A GraphQL field type as a DynamoDB key type: numbers N, everything else (ID, String, enums, dates) S.</summary>
    private static string ScalarType(JsonNode? type) => (type as JsonValue)?.ToString() switch
    {
        "Int" or "Float" or "AWSTimestamp" => "N",
        _ => "S",
    };
}
