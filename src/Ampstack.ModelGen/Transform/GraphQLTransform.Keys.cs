using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Transform;

/// <summary>The primary key and index transformers: key arguments, key condition inputs and index queries.</summary>
internal sealed partial class GraphQLTransform
{
    /// <summary>One <c>@primaryKey</c> or <c>@index</c>: the hash key field and the sort key fields.</summary>
    private sealed record KeyConfig(ModelInfo Model, OutField Field, List<OutField> SortKey, string? IndexName, string? QueryField);

    private void PrimaryKeyPhase()
    {
        foreach (var model in _models)
        {
            foreach (var field in model.Declared)
            {
                if (Directive(field, "primaryKey") is not { } directive)
                {
                    continue;
                }

                var config = ReadKey(model, field, Strings(directive, "sortKeyFields"), "primaryKey", null, null);
                if (!TypeRefs.IsNonNull(field.Type) || config.SortKey.Exists(k => !TypeRefs.IsNonNull(k.Type)))
                {
                    throw Invalid($"The primary key on type '{model.Name}' must reference non-null fields.");
                }

                UpdateKeyQueries(config);
                UpdateKeyInputs(config);
                if (!model.DeclaresId)
                {
                    model.Type.RemoveField("id");
                }

                AddKeyConditionInputs(config);
                RemoveFromCondition(model, ["id", field.Name, .. config.SortKey.Select(k => k.Name)]);
            }
        }
    }

    private KeyConfig ReadKey(
        ModelInfo model, OutField field, List<string> sortKeyNames, string directive, string? name, string? queryField)
    {
        var sortKey = new List<OutField>();
        foreach (var sortKeyName in sortKeyNames)
        {
            if (sortKeyName == field.Name)
            {
                throw Invalid($"@{directive} field '{field.Name}' cannot reference itself.");
            }

            var sortField = model.Declared.Find(f => f.Name == sortKeyName)
                ?? throw Invalid($"Can't find field: {sortKeyName} in {model.Name}, but it was specified in the {directive}.");
            sortKey.Add(sortField);
        }

        foreach (var keyField in sortKey.Prepend(field))
        {
            var baseType = TypeRefs.Base(keyField.Type);
            if (TypeRefs.IsAnyList(keyField.Type) || !(TypeRefs.IsScalar(keyField.Type) || IsEnum(baseType)))
            {
                throw Invalid($"Key fields must be scalar or enum, found {keyField.Name}: {keyField.Type} in {model.Name}.");
            }

            if (baseType == "Boolean")
            {
                throw Invalid("Boolean values cannot be used as sort keys.");
            }
        }

        return new KeyConfig(model, field, sortKey, name, queryField);
    }

    /// <summary><c>updateGetField</c> and <c>updateListField</c>.</summary>
    private void UpdateKeyQueries(KeyConfig config)
    {
        var query = _out.Get(_query);
        if (config.Model.Config.Get is { } getName && query?.Field(getName) is { } get)
        {
            get.Args = config.SortKey.Prepend(config.Field)
                .Select(k => new OutField(k.Name, TypeRefs.Base(k.Type) + "!")).ToList();
        }

        if (config.Model.Config.List is { } listName && query?.Field(listName) is { } list)
        {
            var args = new List<OutField> { new(config.Field.Name, TypeRefs.Base(config.Field.Type)) };
            if (SortKeyArgument(config) is { } sort)
            {
                args.Add(sort);
            }

            args.AddRange(list.Args);
            args.Add(new OutField("sortDirection", "ModelSortDirection"));
            list.Args = args;
        }
    }

    /// <summary><c>tryAndCreateSortField</c>: the sort key argument of a key's queries.</summary>
    private OutField? SortKeyArgument(KeyConfig config)
    {
        switch (config.SortKey.Count)
        {
            case 0:
                return null;
            case 1:
                var key = config.SortKey[0];
                var baseType = TypeRefs.Base(key.Type);
                return new OutField(key.Name, KeyConditionInputName(IsEnum(baseType) ? "String" : baseType));
            default:
                var keyName = ChangeCase.ToUpper(config.IndexName ?? "Primary");
                return new OutField(ChangeCase.JoinCamel([.. config.SortKey.Select(k => k.Name)]),
                    $"Model{config.Model.Name}{keyName}CompositeKeyConditionInput");
        }
    }

    private static string KeyConditionInputName(string scalar) =>
        $"Model{TypeRefs.DefaultScalars.GetValueOrDefault(scalar, scalar)}KeyConditionInput";

    /// <summary><c>updateInputObjects</c>: the key fields required in the update and delete inputs.</summary>
    private void UpdateKeyInputs(KeyConfig config)
    {
        var model = config.Model;
        var keyFields = config.SortKey.Prepend(config.Field).ToList();
        if (!model.DeclaresId && _out.Get($"Create{model.Name}Input") is { } create && model.Config.Create is not null)
        {
            create.RemoveField("id");
        }

        if (_out.Get($"Update{model.Name}Input") is { } update && model.Config.Update is not null)
        {
            if (!model.DeclaresId)
            {
                update.RemoveField("id");
            }

            foreach (var field in update.Fields)
            {
                if (keyFields.Exists(k => k.Name == field.Name))
                {
                    field.Type = TypeRefs.NonNull(field.Type);
                }
                else if (field.Name == "id")
                {
                    field.Type = TypeRefs.Nullable(field.Type);
                }
            }
        }

        if (_out.Get($"Delete{model.Name}Input") is { } delete && model.Config.Delete is not null)
        {
            var rest = delete.Fields.Where(f =>
                !keyFields.Exists(k => k.Name == f.Name) && !(f.Name == "id" && TypeRefs.Base(f.Type) == "ID"));
            delete.Fields = [.. keyFields.Select(k => new OutField(k.Name, TypeRefs.Base(k.Type) + "!")), .. rest];
        }
    }

    /// <summary><c>addKeyConditionInputs</c>.</summary>
    private void AddKeyConditionInputs(KeyConfig config)
    {
        if (config.SortKey.Count > 1)
        {
            var keyName = ChangeCase.ToUpper(config.IndexName ?? "Primary");
            var keyInput = $"Model{config.Model.Name}{keyName}CompositeKeyInput";
            var condition = new OutType(OutKind.Input, $"Model{config.Model.Name}{keyName}CompositeKeyConditionInput");
            foreach (var op in new[] { "eq", "le", "lt", "ge", "gt", "between", "beginsWith" })
            {
                condition.Fields.Add(new OutField(op, op == "between" ? $"[{keyInput}]" : keyInput));
            }

            _out.Add(condition);
            var input = new OutType(OutKind.Input, keyInput);
            for (var i = 0; i < config.SortKey.Count; i++)
            {
                var baseType = TypeRefs.Base(config.SortKey[i].Type);
                var last = i == config.SortKey.Count - 1;
                var type = last ? TypeRefs.DefaultScalars.GetValueOrDefault(baseType, baseType) : baseType;
                input.Fields.Add(new OutField(config.SortKey[i].Name, type));
            }

            _out.Add(input);
        }
        else if (config.SortKey.Count == 1)
        {
            var baseType = TypeRefs.Base(config.SortKey[0].Type);
            AddScalarKeyConditionInput(IsEnum(baseType) ? "String" : baseType);
        }
    }

    private void AddScalarKeyConditionInput(string scalar)
    {
        var resolved = TypeRefs.DefaultScalars.GetValueOrDefault(scalar, scalar);
        if (resolved is not ("String" or "ID" or "Int" or "Float"))
        {
            throw Invalid($"Sort Key Condition could not be constructed for type '{scalar}'");
        }

        var input = new OutType(OutKind.Input, KeyConditionInputName(resolved));
        foreach (var op in new[] { "eq", "le", "lt", "ge", "gt", "between" })
        {
            input.Fields.Add(new OutField(op, op == "between" ? $"[{resolved}]" : resolved));
        }

        if (resolved is "String" or "ID")
        {
            input.Fields.Add(new OutField("beginsWith", resolved));
        }

        _out.Add(input);
    }

    private void RemoveFromCondition(ModelInfo model, List<string> names)
    {
        if (_out.Get($"Model{model.Name}ConditionInput") is { } condition)
        {
            condition.Fields.RemoveAll(f => names.Contains(f.Name));
        }
    }

    private void IndexPhase()
    {
        foreach (var model in _models)
        {
            foreach (var field in model.Declared)
            {
                foreach (var directive in field.Source.Where(d => d.Name == "index"))
                {
                    var sortKeyNames = Strings(directive, "sortKeyFields");
                    var queryArg = Arg(directive, "queryField");
                    var generated = DefaultIndexQueryName(model, field, sortKeyNames);
                    var queryField = queryArg switch
                    {
                        { Kind: Sdl.SdlValueKind.Null } => null,
                        { Kind: Sdl.SdlValueKind.String } v => v.Text,
                        _ => generated,
                    };
                    var indexName = StringArg(directive, "name") ?? generated;
                    if (TypeRefs.IsAnyList(field.Type) || !(TypeRefs.IsScalar(field.Type) || IsEnum(TypeRefs.Base(field.Type))))
                    {
                        throw Invalid($"Index '{indexName}' on type '{model.Name}.{field.Name}' cannot be a non-scalar.");
                    }

                    var config = ReadKey(model, field, sortKeyNames, "index", indexName, queryField);
                    AddIndexQuery(config);
                    AddKeyConditionInputs(config);
                }
            }
        }
    }

    /// <summary><c>generateKeyAndQueryNameForConfig</c>: <c>ordersByStatusAndPlacedAt</c>.</summary>
    private static string DefaultIndexQueryName(ModelInfo model, OutField field, List<string> sortKeyNames) =>
        $"{ChangeCase.ToLower(Pluralizer.Plural(model.Name))}By"
        + string.Join("And", sortKeyNames.Prepend(field.Name).Select(ChangeCase.ToUpper));

    /// <summary><c>ensureQueryField</c>.</summary>
    private void AddIndexQuery(KeyConfig config)
    {
        if (config.QueryField is null)
        {
            return;
        }

        var model = config.Model;
        var args = new List<OutField> { new(config.Field.Name, TypeRefs.Base(config.Field.Type) + "!") };
        if (SortKeyArgument(config) is { } sort)
        {
            args.Add(sort);
        }

        args.Add(new OutField("sortDirection", "ModelSortDirection"));
        args.Add(new OutField("filter", $"Model{model.Name}FilterInput"));
        args.Add(new OutField("limit", "Int"));
        args.Add(new OutField("nextToken", "String"));
        _out.Root(_query).AddField(new OutField(config.QueryField, $"Model{model.Name}Connection", args));
        _out.Add(new OutType(OutKind.Enum, "ModelSortDirection") { Values = ["ASC", "DESC"] });
        AddEnumFilters(model.Declared);
        if (!_out.Has($"Model{model.Name}FilterInput"))
        {
            _out.Add(ListFilterInput(model.Name, model.Declared));
        }

        AddConnectionType(model.Name);
    }
}
