using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;

namespace Ampstack.ModelGen.Processing;

/// <summary>
/// Transformer v2 relationships (<c>@hasOne</c>, <c>@hasMany</c>, <c>@belongsTo</c>, <c>references:</c>), ported from
/// the plugin's process-has-one/has-many/belongs-to with custom primary keys enabled (as the reference runs v2).
/// </summary>
internal sealed class ConnectionsV2(CgSchema schema)
{
    public void Process() => Relations.ConnectAll(schema, Connect, ApplySideEffects);

    private ConnectionInfo? Connect(CgField field, CgModel model)
    {
        var directive = field.Directives.Find(d => d.Name is "hasOne" or "hasMany" or "belongsTo");
        return directive?.Name switch
        {
            "hasOne" => HasOne(field, model, directive),
            "belongsTo" => BelongsTo(field, model, directive),
            "hasMany" => HasMany(field, model, directive),
            _ => null,
        };
    }

    /// <summary>
    /// A <c>@hasOne</c>/<c>@hasMany</c> with <c>references:</c>: associated with the referenced fields of the other
    /// side.
    /// </summary>
    private static ConnectionInfo ReferencesConnection(CgField field, CgModel model, CgModel otherSide, CgDirective directive,
        IReadOnlyList<string> references, ConnectionKind kind)
    {
        ConnectedFieldForReferences(field, model, otherSide, directive);
        var referenced = references.Select(otherSide.Field).ToList();
        return new ConnectionInfo
        {
            Kind = kind,
            ConnectedModel = otherSide,
            AssociatedWith = referenced[0],
            AssociatedWithFields = referenced,
        };
    }

    private static void ApplySideEffects(CgModel model, CgField field, ConnectionInfo info)
    {
        switch (info.Kind)
        {
            case ConnectionKind.HasMany:
                foreach (var associated in info.AssociatedWithFields)
                {
                    info.ConnectedModel.AddField(associated ?? throw Errors.At(model, field,
                        $"{model.Name}.{field.Name} refers to a field that does not exist in {info.ConnectedModel.Name}"));
                }

                if (HasManyHasImplicitKey(field, model, info))
                {
                    AddHasManyKey(field, model, info);
                }

                break;
            case ConnectionKind.HasOne when info.TargetNames is not null:
            case ConnectionKind.BelongsTo:
                AddTargetFields(model, field, info);
                break;
            default:
                break;
        }
    }

    /// <summary>Foreign key fields on the model for hasOne/belongsTo, typed like the other side's key fields.</summary>
    private static void AddTargetFields(CgModel model, CgField field, ConnectionInfo info)
    {
        var keyFields = info.ConnectedModel.PrimaryKeyComponentFields();
        if (keyFields.Count == 0)
        {
            return;
        }

        var targets = info.TargetNames!;
        for (var i = 0; i < targets.Count; i++)
        {
            var keyField = i < keyFields.Count ? keyFields[i] : null;
            if (keyField is null)
            {
                throw Errors.At(model, field,
                    $"{model.Name}.{field.Name} has more fields ({targets.Count}) than the primary key of {info.ConnectedModel.Name}");
            }

            model.AddField(Relations.ImplicitField(targets[i], keyField.Type, field.IsNullable));
        }
    }

    private ConnectionInfo HasOne(CgField field, CgModel model, CgDirective directive)
    {
        var otherSide = Relations.OtherSide(schema, model, field, "hasOne");
        var otherSideBelongsTo = OtherSideBelongsToField(model.Name, otherSide);
        if (field.IsList || otherSideBelongsTo is { IsList: true })
        {
            throw Errors.At(model, field, "A hasOne relationship should be 1:1, no lists");
        }

        var subject = $"{model.Name}.{field.Name}";
        var connectionFields = Args.Names(directive, "fields", subject) ?? [];
        var references = Args.Names(directive, "references", subject) ?? [];
        if (references.Count > 0)
        {
            return ReferencesConnection(field, model, otherSide, directive, references, ConnectionKind.HasOne);
        }

        var keyFields = otherSide.PrimaryKeyComponentFields();
        var targetNames = connectionFields.Count > 0
            ? connectionFields
            : keyFields
                .Select(k => Relations.ConnectionAttributeName(model.Name, field.Name, Relations.NameOf(k, otherSide, field)))
                .ToList();
        return new ConnectionInfo
        {
            Kind = ConnectionKind.HasOne,
            ConnectedModel = otherSide,
            AssociatedWith = keyFields.FirstOrDefault(),
            AssociatedWithFields = keyFields,
            TargetName = targetNames.FirstOrDefault(),
            TargetNames = targetNames,
        };
    }

    private ConnectionInfo BelongsTo(CgField field, CgModel model, CgDirective directive)
    {
        if (field.IsList)
        {
            throw Errors.At(model, field, "A list field does not support the 'belongsTo' relation");
        }

        var otherSide = Relations.OtherSide(schema, model, field, "belongsTo");
        var otherSideFields = BelongsToConnectedFields(model, otherSide);
        if (otherSideFields.Count == 0)
        {
            throw Errors.At(model, field, "A 'belongsTo' field should match to a corresponding 'hasMany' or 'hasOne' field");
        }

        var subject = $"{model.Name}.{field.Name}";
        var references = Args.Names(directive, "references", subject) ?? [];
        if (references.Count > 0)
        {
            ConnectedFieldForReferences(field, model, otherSide, directive);
        }

        var otherSideField = otherSideFields[0];
        var targetNames = (Args.Names(directive, "fields", subject) ?? []).Concat(references).ToList();
        if (targetNames.Count == 0)
        {
            var (owner, ownerField) = otherSideField.IsList ? (otherSide.Name, otherSideField.Name) : (model.Name, field.Name);
            targetNames = otherSide.PrimaryKeyComponentFields()
                .Select(k => Relations.ConnectionAttributeName(owner, ownerField, Relations.NameOf(k, otherSide, field)))
                .ToList();
        }

        return new ConnectionInfo
        {
            Kind = ConnectionKind.BelongsTo,
            ConnectedModel = otherSide,
            TargetName = targetNames.FirstOrDefault(),
            TargetNames = targetNames,
            IsUsingReferences = references.Count > 0,
        };
    }

    private ConnectionInfo HasMany(CgField field, CgModel model, CgDirective directive)
    {
        if (!field.IsList)
        {
            throw Errors.At(model, field, "A field with hasMany must be a list type");
        }

        var otherSide = Relations.OtherSide(schema, model, field, "hasMany");
        var references = Args.Names(directive, "references", $"{model.Name}.{field.Name}") ?? [];
        if (references.Count > 0)
        {
            return ReferencesConnection(field, model, otherSide, directive, references, ConnectionKind.HasMany);
        }

        var otherSideFields = ConnectedFieldsForHasMany(field, model, otherSide, directive);
        return new ConnectionInfo
        {
            Kind = ConnectionKind.HasMany,
            ConnectedModel = otherSide,
            AssociatedWith = otherSideFields.FirstOrDefault(),
            AssociatedWithFields = otherSideFields,
        };
    }

    private static List<CgField> ConnectedFieldsForHasMany(CgField field, CgModel model, CgModel connectedModel, CgDirective hasMany)
    {
        if (!JsValues.IsNullish(hasMany.Arg("fields")) && JsValues.Truthy(hasMany.Arg("fields")))
        {
            var indexName = hasMany.Arg("indexName");
            var directives = connectedModel.FlattenFieldDirectives();
            CgDirective? connected;
            if (JsValues.Truthy(indexName))
            {
                connected = directives.Find(d => d.Name == "index" && Equals(d.Arg("name"), indexName))
                    ?? throw Errors.At(model, field,
                        $"Error processing @hasMany directive on {model.Name}.{field.Name}, @index directive with name " +
                        $"{JsValues.ToJsString(indexName)} was not found in connected model {connectedModel.Name}");
            }
            else
            {
                connected = directives.Find(d => d.Name == "primaryKey");
            }

            var connectedFieldName = connected?.FieldName ?? OtherSideBelongsToField(model.Name, connectedModel)?.Name
                ?? PrimaryKeys.IdField;
            var belongsTo = connectedModel.Fields
                .Where(f => f.Type == model.Name)
                .FirstOrDefault(f => f.Directives.Exists(d => d.Name == "belongsTo" && FirstName(d.Arg("fields")) == connectedFieldName));
            if (belongsTo is not null)
            {
                return [belongsTo];
            }

            return [connectedModel.Field(connectedFieldName)
                ?? throw Errors.At(model, field, $"Can not find key field {connectedFieldName} in {connectedModel.Name}")];
        }

        return model.PrimaryKeyComponentFields()
            .Select(keyField =>
            {
                var name = Relations.ConnectionAttributeName(model.Name, field.Name, Relations.NameOf(keyField, model, field));
                return connectedModel.Field(name) ?? Relations.ImplicitField(name, keyField!.Type);
            })
            .ToList();
    }

    /// <summary><c>d.arguments.fields &amp;&amp; d.arguments.fields[0]</c>.</summary>
    private static string? FirstName(object? fields) =>
        fields is JsArray { Count: > 0 } array && array[0] is string s ? s : null;

    private static CgField? OtherSideBelongsToField(string type, CgModel otherSide) =>
        otherSide.Fields.Where(f => f.Type == type).FirstOrDefault(f => f.HasDirective("belongsTo"));

    /// <summary><c>getBelongsToConnectedFields</c>: the other side's hasOne/hasMany fields pointing back at the model.</summary>
    private static List<CgField> BelongsToConnectedFields(CgModel model, CgModel connectedModel)
    {
        var result = new List<CgField>();
        foreach (var directive in connectedModel.FlattenFieldDirectives())
        {
            var connected = connectedModel.Field(directive.FieldName!);
            var matches = ((directive.Name == "hasOne" && connected is { IsList: false })
                    || (directive.Name == "hasMany" && connected is { IsList: true }))
                && connected.Type == model.Name;
            if (matches)
            {
                result.Add(connected!);
            }
        }

        return result;
    }

    /// <summary><c>getConnectedFieldForReferences</c>: checks the other side declares the same <c>references</c>.</summary>
    private static CgField? ConnectedFieldForReferences(CgField field, CgModel model, CgModel connectedModel, CgDirective directive)
    {
        var references = directive.Arg("references");
        if (JsValues.Truthy(directive.Arg("fields")))
        {
            throw Errors.At(model, field, "'fields' and 'references' cannot be used together.");
        }

        var json = JsonText.Stringify(references);
        bool SameReferences(CgDirective d) => JsValues.Truthy(d.Arg("references")) && JsonText.Stringify(d.Arg("references")) == json;

        if (directive.Name == "belongsTo")
        {
            return BelongsToConnectedFields(model, connectedModel)
                .Find(f => f.Directives.Exists(d => d.Name is "hasOne" or "hasMany" && SameReferences(d)))
                ?? throw Errors.At(model, field,
                    $"Error processing @belongsTo directive on {model.Name}.{field.Name}. " +
                    $"@hasOne or @hasMany directive with references {json} was not found in connected model {connectedModel.Name}");
        }

        var connected = connectedModel.FlattenFieldDirectives().Find(SameReferences)
            ?? throw Errors.At(model, field,
                $"Error processing @{directive.Name} directive on {model.Name}.{field.Name}. " +
                $"@belongsTo directive with references {json} was not found in connected model {connectedModel.Name}");
        return connectedModel.Field(connected.FieldName!);
    }

    /// <summary>A uni-directional hasMany without an index gets a <c>gsi-Model.field</c> key on the other side.</summary>
    private static bool HasManyHasImplicitKey(CgField field, CgModel model, ConnectionInfo info)
    {
        var referencingParent = info.ConnectedModel.Fields.Find(f => f.Type == model.Name);
        var hasBelongsTo = referencingParent is not null && referencingParent.HasDirective("belongsTo");
        var hasIndexName = field.Directives.Exists(d => d.Name == "hasMany" && JsValues.Truthy(d.Arg("indexName")));
        return !(hasBelongsTo || hasIndexName);
    }

    private static void AddHasManyKey(CgField field, CgModel model, ConnectionInfo info)
    {
        var associated = info.AssociatedWithFields.Count > 0 ? info.AssociatedWithFields : [info.AssociatedWith];
        var names = new JsArray(associated.Select(f => (object?)Relations.NameOf(f, info.ConnectedModel, field)));
        info.ConnectedModel.Directives.Add(new CgDirective("key", new JsObject
        {
            ["name"] = $"gsi-{model.Name}.{field.Name}",
            ["fields"] = names,
        }));
    }
}
