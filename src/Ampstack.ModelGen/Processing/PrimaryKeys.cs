using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Processing;

/// <summary>Model shaping: primary key, <c>id</c>, timestamps, field order, and the v2 key/index attributes.</summary>
internal static class PrimaryKeys
{
    public const string IdField = "id";

    public static void EnsurePrimaryKeyField(CgModel model, GeneratorOptions options)
    {
        if (options.IsV2)
        {
            EnsurePrimaryKeyFieldV2(model);
        }
        else
        {
            EnsurePrimaryKeyFieldV1(model);
        }
    }

    private static void EnsurePrimaryKeyFieldV2(CgModel model)
    {
        var withDirective = model.Fields.Find(f => f.HasDirective("primaryKey"));
        if (withDirective is null)
        {
            SetManagedId(model);
            return;
        }

        var pk = PrimaryKeyFieldByName(model, withDirective.Name);
        var directive = model.FlattenFieldDirectives().Find(d => d.Name == "primaryKey")!;
        var sortKeyNames = Args.Names(directive, "sortKeyFields", $"{model.Name}.{withDirective.Name}") ?? [];
        SetPrimaryKey(model, pk, sortKeyNames);
    }

    private static void EnsurePrimaryKeyFieldV1(CgModel model)
    {
        var key = model.Directives.Find(d => d.Name == "key" && !Args.Truthy(d, "name"));
        if (key is null)
        {
            SetManagedId(model);
            return;
        }

        var fields = Args.Names(key, "fields", model.Name);
        if (fields is null || fields.Count == 0)
        {
            throw Errors.At(key.Pos, model.Name, "@key needs fields");
        }

        var pk = PrimaryKeyFieldByName(model, fields[0]);
        SetPrimaryKey(model, pk, fields.Skip(1).ToList());
    }

    private static void SetManagedId(CgModel model)
    {
        EnsureIdField(model);
        var pk = PrimaryKeyFieldByName(model, IdField);
        pk.PrimaryKeyInfo = new PrimaryKeyInfo(PrimaryKeyType.ManagedId, [], []);
    }

    private static void SetPrimaryKey(CgModel model, CgField pk, List<string> sortKeyNames)
    {
        var sortKeyFields = sortKeyNames.Select(model.Field).ToList();
        var type = pk.Name == IdField && sortKeyFields.Count == 0 ? PrimaryKeyType.OptionallyManagedId : PrimaryKeyType.CustomId;
        pk.PrimaryKeyInfo = new PrimaryKeyInfo(type, sortKeyFields, sortKeyNames);
    }

    private static CgField PrimaryKeyFieldByName(CgModel model, string name)
    {
        var field = model.Field(name) ?? throw Errors.At(model, $"Cannot find primary key field in type {model.Name}");
        if (field.IsNullable)
        {
            throw Errors.At(model, field, $"The primary key on type '{model.Name}' must reference non-null fields.");
        }

        return field;
    }

    public static void EnsureIdField(CgModel model)
    {
        var id = model.Field(IdField);
        if (id is not null)
        {
            id.IsNullable = false;
        }
        else
        {
            model.Fields.Insert(0, new CgField { Name = IdField, Type = "ID", IsNullable = false, IsList = false });
        }
    }

    /// <summary>createdAt/updatedAt (renamed by <c>timestamps:</c>, dropped by <c>timestamps: null</c>).</summary>
    public static void AddTimestampFields(CgModel model, CgDirective modelDirective)
    {
        if (modelDirective.Arguments.TryGet("timestamps", out var timestamps) && timestamps is null)
        {
            return;
        }

        var config = timestamps as JsObject;
        model.AddField(Timestamp(TimestampName(config, "createdAt")));
        model.AddField(Timestamp(TimestampName(config, "updatedAt")));
    }

    private static string TimestampName(JsObject? config, string key)
    {
        var value = config?[key];
        return JsValues.Truthy(value) ? JsValues.ToJsString(value) : key;
    }

    private static CgField Timestamp(string name) =>
        new() { Name = name, Type = "AWSDateTime", IsList = false, IsNullable = true, IsReadOnly = true };

    /// <summary>Moves <c>id</c> to the front.</summary>
    public static void SortFields(CgModel model)
    {
        // Usually nothing moves: no id, or the only id already first.
        var first = model.Fields.FindIndex(f => f.Name == IdField);
        if (first <= 0 && model.Fields.FindLastIndex(f => f.Name == IdField) == first)
        {
            return;
        }

        var ids = model.Fields.Where(f => f.Name == IdField).Reverse();
        model.Fields = ids.Concat(model.Fields.Where(f => f.Name != IdField)).ToList();
    }

    /// <summary><c>processPrimaryKey</c>: a <c>key</c> attribute for the <c>@primaryKey</c> field.</summary>
    public static void ProcessPrimaryKey(CgModel model)
    {
        if (model.Directives.Exists(d => d.Name == "key" && JsValues.IsUndefined(d.Arg("name"))))
        {
            return;
        }

        var field = model.Fields.Find(f => f.HasDirective("primaryKey"));
        if (field is null)
        {
            return;
        }

        var directive = field.Directive("primaryKey")!;
        var fields = new JsArray { field.Name };
        fields.AddRange(SortKeyValues(directive));
        model.Directives.Add(new CgDirective("key", new JsObject { ["fields"] = fields }));
    }

    /// <summary><c>processIndex</c>: a named <c>key</c> attribute per <c>@index</c>.</summary>
    public static void ProcessIndex(CgModel model)
    {
        var keys = new List<CgDirective>();
        foreach (var field in model.Fields)
        {
            foreach (var directive in field.Directives)
            {
                if (directive.Name != "index")
                {
                    continue;
                }

                var fields = new JsArray { field.Name };
                fields.AddRange(SortKeyValues(directive));
                var name = directive.Arg("name");
                if (JsValues.IsNullish(name))
                {
                    name = DefaultIndexName(model.Name, fields.Select(JsValues.ToJsString));
                }

                keys.Add(new CgDirective("key", new JsObject
                {
                    ["name"] = name,
                    ["queryField"] = directive.Arg("queryField"),
                    ["fields"] = fields,
                }));
            }
        }

        var existing = model.Directives
            .Where(d => d.Name == "key" && JsValues.Truthy(d.Arg("name")))
            .Select(d => d.Arg("name"))
            .ToList();
        model.Directives.AddRange(keys.Where(k => !existing.Exists(e => Equals(e, k.Arg("name")))));
    }

    /// <summary><c>[].concat(sortKeyFields ?? [])</c>.</summary>
    private static JsArray SortKeyValues(CgDirective directive)
    {
        var sortKeys = directive.Arg("sortKeyFields");
        return sortKeys switch
        {
            null or JsUndefined => [],
            JsArray array => array,
            _ => [sortKeys],
        };
    }

    /// <summary>"ordersByRegion" for an unnamed index on <c>region</c> of <c>Order</c>.</summary>
    public static string DefaultIndexName(string modelName, IEnumerable<string> fieldNames) =>
        $"{ChangeCase.ToLower(Pluralizer.Plural(modelName))}By{string.Join("And", fieldNames.Select(ChangeCase.ToUpper))}";
}
