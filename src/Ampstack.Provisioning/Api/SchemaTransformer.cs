using System.Text.RegularExpressions;

namespace Ampstack.Provisioning.Api;

/// <summary>
/// What the API's schema becomes before AppSync gets it: the seam where Amplify's GraphQL transformer (model types,
/// connection fields, queries, mutations, subscriptions, inputs; being written separately) goes in.
/// </summary>
public interface ISchemaTransformer
{
    string Transform(string schema);
}

/// <summary>
/// For now: the schema as given, less Amplify's own directives (<c>@model</c>, <c>@index</c>, ...), which AppSync does not
/// know and rejects when it builds the schema (AppSync's own, <c>@aws_api_key</c> and the like, stay), and, when it has no
/// <c>Query</c> type (a schema must have one), a <c>list</c> query per <c>@model</c> as Amplify names them
/// (<c>listTodos</c>). A directive's arguments never hold parentheses (objects use braces, lists brackets), so one
/// pattern finds each whole.
/// </summary>
public sealed partial class AmplifyDirectiveStripper : ISchemaTransformer
{
    public string Transform(string schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var models = ModelType().Matches(schema).Select(m => m.Groups[1].Value).Distinct().ToList();
        var stripped = AmplifyDirective().Replace(schema, "");
        if (models.Count == 0 || QueryType().IsMatch(stripped))
        {
            return stripped;
        }

        return stripped.TrimEnd() + "\n\ntype Query {\n" + string.Concat(models.Select(m => $"  {ListQuery(m)}: [{m}]\n")) + "}\n";
    }

    /// <summary>The list query Amplify's transformer makes for a model: <c>listTodos</c>.</summary>
    public static string ListQuery(string model) => $"list{model}s";

    [GeneratedRegex(@"\btype\s+(\w+)\s*@model\b", RegexOptions.CultureInvariant)]
    private static partial Regex ModelType();

    [GeneratedRegex(@"\b(type|extend\s+type)\s+Query\b", RegexOptions.CultureInvariant)]
    private static partial Regex QueryType();

    [GeneratedRegex(
        @"@(model|index|primaryKey|hasMany|hasOne|belongsTo|manyToMany|auth|key|connection|searchable|function|http|predictions|default" +
        @"|mapsTo|refersTo|validate|aws_lambda_function)\b\s*(\([^)]*\))?",
        RegexOptions.CultureInvariant)]
    private static partial Regex AmplifyDirective();
}
