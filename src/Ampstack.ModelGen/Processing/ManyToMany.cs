using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Processing;

/// <summary>
/// <c>@manyToMany</c>: a join model per relation name (appended after the declared models), and each side's field
/// turned into a <c>@hasMany</c> on the join model.
/// </summary>
internal static class ManyToMany
{
    private sealed record Side(CgModel Model, CgField Field, CgDirective Directive);

    public static void Process(CgSchema schema, GeneratorOptions options)
    {
        var relations = new List<KeyValuePair<string, List<Side>>>();
        foreach (var model in schema.Models.Values)
        {
            foreach (var field in model.Fields)
            {
                foreach (var directive in field.Directives)
                {
                    if (directive.Name != "manyToMany")
                    {
                        continue;
                    }

                    var name = RelationName(model, field, directive);
                    var index = relations.FindIndex(r => r.Key == name);
                    if (index < 0)
                    {
                        relations.Add(new(name, [new Side(model, field, directive)]));
                    }
                    else
                    {
                        relations[index].Value.Add(new Side(model, field, directive));
                    }
                }
            }
        }

        foreach (var (name, sides) in relations)
        {
            if (sides.Count != 2)
            {
                var first = sides[0];
                throw Errors.At(
                    first.Model,
                    first.Field,
                    $"Error for relation: '{JsValues.ToJsString(first.Directive.Arg("relationName"))}', " +
                    $"there should be two matching manyToMany directives and found: {sides.Count}");
            }

            var join = JoinModel(sides[0].Model, sides[1].Model, name);
            join.Directives.AddRange(SharedAuthDirectives(sides[0].Model, sides[1].Model));
            PrimaryKeys.ProcessPrimaryKey(join);
            PrimaryKeys.ProcessIndex(join);
            PrimaryKeys.EnsurePrimaryKeyField(join, options);
            PrimaryKeys.AddTimestampFields(join, join.Directives[0]);
            PrimaryKeys.SortFields(join);
            schema.Models.Set(join.Name, join);
            foreach (var side in sides)
            {
                ConvertToHasMany(side, name);
            }
        }
    }

    private static string RelationName(CgModel model, CgField field, CgDirective directive) =>
        directive.Arg("relationName") is string relationName
            ? ChangeCase.GraphQLName(ChangeCase.ToUpper(relationName))
            : throw Errors.At(model, field, $"@manyToMany on {model.Name}.{field.Name} needs a relationName");

    /// <summary>Both models' @auth directives, deduplicated by their JSON text.</summary>
    private static IEnumerable<CgDirective> SharedAuthDirectives(CgModel first, CgModel second)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in first.Directives.Concat(second.Directives).Where(d => d.Name == "auth"))
        {
            var json = JsonText.Stringify(new JsObject { ["name"] = directive.Name, ["arguments"] = directive.Arguments });
            if (seen.Add(json))
            {
                yield return new CgDirective(directive.Name, Clone(directive.Arguments), directive.Pos);
            }
        }
    }

    private static JsObject Clone(JsObject obj)
    {
        var copy = new JsObject();
        foreach (var (key, value) in obj.Entries)
        {
            copy.Set(key, CloneValue(value));
        }

        return copy;
    }

    private static object? CloneValue(object? value) => value switch
    {
        JsObject o => Clone(o),
        JsArray a => new JsArray(a.Select(CloneValue)),
        _ => value,
    };

    private static CgModel JoinModel(CgModel first, CgModel second, string name)
    {
        var firstKey = KeyFieldName(first);
        var firstSortKeys = SortKeyFields(first);
        var secondKey = KeyFieldName(second);
        var secondSortKeys = SortKeyFields(second);

        var fields = new List<CgField> { Relations.ImplicitField(PrimaryKeys.IdField, isNullable: false) };
        AddSide(fields, first, firstKey, firstSortKeys);
        AddSide(fields, second, secondKey, secondSortKeys);
        fields.Add(BelongsToField(first, firstKey, firstSortKeys));
        fields.Add(BelongsToField(second, secondKey, secondSortKeys));
        return new CgModel
        {
            Name = name,
            Directives = [new CgDirective("model", new JsObject())],
            Fields = fields,
            Pos = first.Pos,
        };
    }

    private static void AddSide(List<CgField> fields, CgModel model, string keyName, List<CgField> sortKeys)
    {
        var key = Relations.ImplicitField(keyName);
        key.Directives.Add(new CgDirective("index", new JsObject
        {
            ["name"] = "by" + model.Name,
            ["sortKeyFields"] = new JsArray(sortKeys.Select(f => (object?)SortKeyFieldName(model, f))),
        }));
        fields.Add(key);
        fields.AddRange(sortKeys.Select(f => new CgField
        {
            Name = SortKeyFieldName(model, f),
            Type = f.Type,
            IsNullable = true,
            IsList = f.IsList,
        }));
    }

    private static CgField BelongsToField(CgModel model, string keyName, List<CgField> sortKeys)
    {
        var fieldNames = new JsArray { keyName };
        fieldNames.AddRange(sortKeys.Select(f => (object?)SortKeyFieldName(model, f)));
        var field = new CgField { Name = ChangeCase.CamelCase(model.Name), Type = model.Name, IsNullable = false, IsList = false };
        field.Directives.Add(new CgDirective("belongsTo", new JsObject { ["fields"] = fieldNames }));
        return field;
    }

    /// <summary>"postId" (custom primary keys) for the join model's key to a side.</summary>
    private static string KeyFieldName(CgModel model) =>
        ChangeCase.JoinCamel(model.Name, model.PrimaryKeyField!.Name);

    private static string SortKeyFieldName(CgModel model, CgField sortKeyField) =>
        ChangeCase.ToLower(model.Name) + sortKeyField.Name;

    /// <summary>The fields after the first of the model's unnamed <c>key</c> attribute.</summary>
    private static List<CgField> SortKeyFields(CgModel model)
    {
        var key = model.Directives.Find(d => d.Name == "key" && !Args.Truthy(d, "name"));
        if (key is null)
        {
            return [];
        }

        var names = Args.Names(key, "fields", model.Name) ?? [];
        return names.Skip(1)
            .Select(n => model.Field(n) ?? throw Errors.At(model, $"Sort key field {n} does not exist in {model.Name}"))
            .ToList();
    }

    private static void ConvertToHasMany(Side side, string joinModelName)
    {
        var (model, field, directive) = side;
        field.Directives.Remove(directive);
        field.Type = joinModelName;
        var fields = new JsArray { PrimaryKeyFieldName(model) };
        fields.AddRange(SortKeyFields(model).Select(f => (object?)f.Name));
        field.Directives.Add(new CgDirective("hasMany", new JsObject
        {
            ["indexName"] = "by" + model.Name,
            ["fields"] = fields,
        }));
    }

    /// <summary><c>determinePrimaryKeyFieldname</c>: the last field with <c>@primaryKey</c>, else id.</summary>
    private static string PrimaryKeyFieldName(CgModel model) =>
        model.Fields.LastOrDefault(f => f.HasDirective("primaryKey"))?.Name ?? PrimaryKeys.IdField;
}
