using System.Text.Json.Nodes;

namespace Ampstack.Provisioning.Api;

/// <summary>
/// A DynamoDB table for one <c>@model</c>: its key and a global secondary index per <c>@index</c> and per relation keyed
/// on it (<c>gsi-Blog.posts</c>).
/// </summary>
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

    /// <summary>
    /// <paramref name="tables"/> with the indexes the transformer adds for relations (<see cref="ISchemaTransformer.RelationIndexes"/>)
    /// on the related models' tables, keyed as it keys them: the first field the partition key, one more the sort key,
    /// several more one <c>a#b</c> sort key attribute (a string). An index already there by name is kept as it is.
    /// </summary>
    public static IReadOnlyList<ModelTable> WithRelations(IReadOnlyList<ModelTable> tables, IReadOnlyList<RelationIndex> relations) =>
        [.. tables.Select(table =>
        {
            var added = relations.Where(r => r.Model == table.Model && r.Key.Count > 0 && !table.Indexes.Any(i => i.Name == r.Name))
                .ToList();
            if (added.Count == 0)
            {
                return table;
            }

            var types = new Dictionary<string, string>(table.AttributeTypes, StringComparer.Ordinal);
            var indexes = table.Indexes.ToList();
            foreach (var relation in added)
            {
                var (hash, hashType) = relation.Key[0];
                types[hash] = ScalarType(hashType);
                string? range = null;
                if (relation.Key.Count == 2)
                {
                    range = relation.Key[1].Name;
                    types[range] = ScalarType(relation.Key[1].Type);
                }
                else if (relation.Key.Count > 2)
                {
                    range = string.Join('#', relation.Key.Skip(1).Select(k => k.Name));
                    types[range] = "S";
                }

                indexes.Add(new ModelIndex(relation.Name, hash, range));
            }

            return table with { Indexes = indexes, AttributeTypes = types };
        })];

    /// <summary>A GraphQL field type as a DynamoDB key type: numbers N, everything else (ID, String, enums, dates) S.</summary>
    private static string ScalarType(JsonNode? type) => ScalarType((type as JsonValue)?.ToString());

    private static string ScalarType(string? type) => type switch
    {
        "Int" or "Float" or "AWSTimestamp" => "N",
        _ => "S",
    };
}
