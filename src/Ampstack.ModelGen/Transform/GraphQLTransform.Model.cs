namespace Ampstack.ModelGen.Transform;

/// <summary>The model transformer: implicit fields, queries, mutations, subscriptions and their input types.</summary>
internal sealed partial class GraphQLTransform
{
    private static readonly string[] StringConditions =
        ["ne", "eq", "le", "lt", "ge", "gt", "contains", "notContains", "between", "beginsWith"];

    private static readonly string[] NumberConditions = ["ne", "eq", "le", "lt", "ge", "gt", "between"];

    private static readonly string[] BooleanConditions = ["ne", "eq"];

    private static readonly string[] AttributeTypes =
        ["binary", "binarySet", "bool", "list", "map", "number", "numberSet", "string", "stringSet", "_null"];

    private void ModelPhase()
    {
        if (_models.Count == 0)
        {
            return;
        }

        AddScalarConditionInputs();
        _out.Add(new OutType(OutKind.Enum, "ModelSortDirection") { Values = ["ASC", "DESC"] });
        foreach (var model in _models)
        {
            if (model.Name == _query || model.Name == _mutation || model.Name == _subscription)
            {
                throw Invalid($"'{model.Name}' is a reserved type name and currently in use within the default schema element.");
            }

            AddImplicitFields(model);
            AddNonModelInputs(model.Type.Fields);
            AddQueries(model);
            AddMutations(model);
            AddSubscriptions(model);
        }
    }

    private void AddScalarConditionInputs()
    {
        string[] scalars = ["String", "Int", "Float", "Boolean", "ID"];
        foreach (var scalar in scalars)
        {
            var input = ConditionInputFor(scalar, "Model" + scalar + "Input", subscription: false);
            if (scalar is "String" or "ID")
            {
                input.Fields.Add(new OutField("size", "ModelSizeInput"));
            }

            _out.Add(input);
        }

        foreach (var scalar in scalars)
        {
            _out.Add(ConditionInputFor(scalar, "ModelSubscription" + scalar + "Input", subscription: true));
        }

        _out.Add(new OutType(OutKind.Enum, "ModelAttributeTypes") { Values = [.. AttributeTypes] });
        var size = new OutType(OutKind.Input, "ModelSizeInput");
        foreach (var condition in NumberConditions)
        {
            size.Fields.Add(new OutField(condition, condition == "between" ? "[Int]" : "Int"));
        }

        _out.Add(size);
    }

    private static OutType ConditionInputFor(string scalar, string name, bool subscription)
    {
        var conditions = scalar switch
        {
            "String" or "ID" => StringConditions,
            "Boolean" => BooleanConditions,
            _ => NumberConditions,
        };
        var input = new OutType(OutKind.Input, name);
        foreach (var condition in conditions)
        {
            input.Fields.Add(new OutField(condition, condition == "between" ? $"[{scalar}]" : scalar));
        }

        if (subscription)
        {
            if (scalar != "Boolean")
            {
                input.Fields.Add(new OutField("in", $"[{scalar}]"));
                input.Fields.Add(new OutField("notIn", $"[{scalar}]"));
            }
        }
        else
        {
            input.Fields.Add(new OutField("attributeExists", "Boolean"));
            input.Fields.Add(new OutField("attributeType", "ModelAttributeTypes"));
        }

        return input;
    }

    /// <summary><c>addAutoGeneratableFields</c>: <c>id: ID!</c> and the timestamps, unless declared.</summary>
    private static void AddImplicitFields(ModelInfo model)
    {
        model.Type.AddField(new OutField("id", "ID!"));
        foreach (var timestamp in new[] { model.Config.CreatedAt, model.Config.UpdatedAt })
        {
            if (timestamp is not null)
            {
                model.Type.AddField(new OutField(timestamp, "AWSDateTime!"));
            }
        }
    }

    /// <summary><c>createNonModelInputs</c>: an <c>XInput</c> for each non-model object type a field uses, recursively.</summary>
    private void AddNonModelInputs(List<OutField> fields)
    {
        foreach (var field in fields)
        {
            var baseType = TypeRefs.Base(field.Type);
            if (TypeRefs.IsScalar(field.Type) || _out.Get(baseType) is not { Kind: OutKind.Object } type || IsModel(baseType))
            {
                continue;
            }

            var name = baseType + "Input";
            if (_out.Has(name))
            {
                continue;
            }

            _out.Add(InputFromObject(name, type.Fields, model: false));
            AddNonModelInputs(type.Fields);
        }
    }

    /// <summary><c>InputObjectDefinitionWrapper.fromObject</c>.</summary>
    private OutType InputFromObject(string name, IEnumerable<OutField> fields, bool model)
    {
        var input = new OutType(OutKind.Input, name);
        foreach (var field in fields)
        {
            var type = field.Type;
            var baseType = TypeRefs.Base(type);
            var implicitField = field.Name switch
            {
                "id" => baseType == "ID",
                "createdAt" or "updatedAt" => baseType is "AWSDateTime" or "String",
                _ => false,
            };
            if (model && implicitField && !TypeRefs.IsAnyList(type))
            {
                type = TypeRefs.Nullable(type);
            }
            else if (!TypeRefs.IsScalar(type) && !_enums.Contains(baseType))
            {
                type = TypeRefs.Rename(type, baseType + "Input");
            }

            input.Fields.Add(new OutField(field.Name, type));
        }

        return input;
    }

    private void AddQueries(ModelInfo model)
    {
        var query = new List<OutField>();
        if (model.Config.Get is { } get)
        {
            query.Add(new OutField(get, model.Name, [new OutField("id", "ID!")]));
        }

        if (model.Config.List is { } list)
        {
            var connection = AddConnectionType(model.Name);
            AddEnumFilters(model.Type.Fields);
            _out.Add(ListFilterInput(model.Name, model.Type.Fields));
            OutField[] args = [new("filter", $"Model{model.Name}FilterInput"), new("limit", "Int"), new("nextToken", "String")];
            query.Add(new OutField(list, connection, [.. args]));
        }

        AddRootFields(_query, query);
    }

    /// <summary>Adds the fields to the root type, which is made where first needed even with none (and printed only with some).</summary>
    private void AddRootFields(string root, List<OutField> fields)
    {
        var type = _out.Root(root);
        foreach (var field in fields)
        {
            type.AddField(field);
        }
    }

    private string AddConnectionType(string modelName)
    {
        var name = $"Model{modelName}Connection";
        if (!_out.Has(name))
        {
            _out.Add(new OutType(OutKind.Object, name)
            {
                Fields = [new OutField("items", $"[{modelName}]!"), new OutField("nextToken", "String")],
            });
        }

        return name;
    }

    /// <summary><c>createEnumModelFilters</c>: <c>ModelColorInput</c> / <c>ModelColorListInput</c> for the enum fields.</summary>
    private void AddEnumFilters(IEnumerable<OutField> fields)
    {
        foreach (var field in fields)
        {
            var baseType = TypeRefs.Base(field.Type);
            if (!IsEnum(baseType))
            {
                continue;
            }

            var list = TypeRefs.IsBareList(field.Type);
            var name = list ? $"Model{baseType}ListInput" : $"Model{baseType}Input";
            if (_out.Has(name))
            {
                continue;
            }

            var input = new OutType(OutKind.Input, name);
            input.Fields.Add(new OutField("eq", list ? $"[{baseType}]" : baseType));
            input.Fields.Add(new OutField("ne", list ? $"[{baseType}]" : baseType));
            if (list)
            {
                input.Fields.Add(new OutField("contains", baseType));
                input.Fields.Add(new OutField("notContains", baseType));
            }

            _out.Add(input);
        }
    }

    /// <summary>The filter type of a scalar or enum field in list filters and condition inputs; null for other fields.</summary>
    private string? FilterTypeOf(OutField field)
    {
        var baseType = TypeRefs.Base(field.Type);
        if (IsEnum(baseType))
        {
            return TypeRefs.IsBareList(field.Type) ? $"Model{baseType}ListInput" : $"Model{baseType}Input";
        }

        return TypeRefs.IsScalar(field.Type) ? TypeRefs.ScalarFilterInput(baseType) : null;
    }

    private OutType ListFilterInput(string modelName, IEnumerable<OutField> fields)
    {
        var name = $"Model{modelName}FilterInput";
        var input = new OutType(OutKind.Input, name);
        foreach (var field in fields)
        {
            if (FilterTypeOf(field) is { } filter)
            {
                input.Fields.Add(new OutField(field.Name, filter));
            }
        }

        input.Fields.Add(new OutField("and", $"[{name}]"));
        input.Fields.Add(new OutField("or", $"[{name}]"));
        input.Fields.Add(new OutField("not", name));
        return input;
    }

    private void AddMutations(ModelInfo model)
    {
        var mutation = new List<OutField>();
        var operations = new (string? Name, string Prefix)[]
        {
            (model.Config.Create, "Create"), (model.Config.Update, "Update"), (model.Config.Delete, "Delete"),
        };
        foreach (var (name, prefix) in operations)
        {
            if (name is null)
            {
                continue;
            }

            AddEnumFilters(model.Declared);
            var condition = ConditionInput(model);
            _out.Add(condition);
            var inputName = $"{prefix}{model.Name}Input";
            if (!_out.Has(inputName))
            {
                _out.Add(prefix switch
                {
                    "Create" => CreateInput(model, inputName),
                    "Update" => UpdateInput(model, inputName),
                    _ => new OutType(OutKind.Input, inputName) { Fields = [new OutField("id", "ID!")] },
                });
            }

            mutation.Add(new OutField(name, model.Name,
                [new OutField("input", inputName + "!"), new OutField("condition", condition.Name)]));
        }

        AddRootFields(_mutation, mutation);
    }

    /// <summary><c>makeMutationConditionInput</c>: the declared scalar and enum fields but id, then the timestamps.</summary>
    private OutType ConditionInput(ModelInfo model)
    {
        var name = $"Model{model.Name}ConditionInput";
        var input = new OutType(OutKind.Input, name);
        foreach (var field in model.Declared)
        {
            if (FilterTypeOf(field) is { } filter && !(field.Name == "id" && filter == "ModelIDInput"))
            {
                input.Fields.Add(new OutField(field.Name, filter));
            }
        }

        input.Fields.Add(new OutField("and", $"[{name}]"));
        input.Fields.Add(new OutField("or", $"[{name}]"));
        input.Fields.Add(new OutField("not", name));
        if (!model.Config.TimestampsOff)
        {
            foreach (var timestamp in new[] { model.Config.CreatedAt, model.Config.UpdatedAt })
            {
                if (timestamp is not null)
                {
                    input.AddField(new OutField(timestamp, "ModelStringInput"));
                }
            }
        }

        return input;
    }

    private IEnumerable<OutField> NonModelFields(ModelInfo model) =>
        model.Declared.Where(f => !IsModel(TypeRefs.Base(f.Type)));

    private OutType CreateInput(ModelInfo model, string name)
    {
        var input = InputFromObject(name, NonModelFields(model), model: true);
        if (!model.DeclaresId)
        {
            input.Fields.Add(new OutField("id", "ID"));
        }
        else if (input.Field("id") is { } id && TypeRefs.Base(id.Type) is "ID" or "String")
        {
            id.Type = TypeRefs.Nullable(id.Type);
        }

        NullableTimestamps(model, input);
        return input;
    }

    private OutType UpdateInput(ModelInfo model, string name)
    {
        var input = InputFromObject(name, NonModelFields(model), model: true);
        foreach (var field in input.Fields)
        {
            field.Type = TypeRefs.Nullable(field.Type);
        }

        if (!model.DeclaresId)
        {
            input.Fields.Add(new OutField("id", "ID!"));
        }
        else if (input.Field("id") is { } id)
        {
            id.Type = TypeRefs.NonNull(id.Type);
        }

        NullableTimestamps(model, input);
        return input;
    }

    private static void NullableTimestamps(ModelInfo model, OutType input)
    {
        foreach (var timestamp in model.Config.GivenTimestamps)
        {
            if (input.Field(timestamp) is { } field && TypeRefs.Base(field.Type) is "String" or "AWSDateTime")
            {
                field.Type = TypeRefs.Nullable(field.Type);
            }
        }
    }

    private void AddSubscriptions(ModelInfo model)
    {
        var subscription = new List<OutField>();
        var operations = new (List<string> Names, string? Mutation)[]
        {
            (model.Config.OnCreate, model.Config.Create),
            (model.Config.OnUpdate, model.Config.Update),
            (model.Config.OnDelete, model.Config.Delete),
        };
        foreach (var (names, mutationName) in operations)
        {
            foreach (var name in names)
            {
                AddEnumFilters(model.Type.Fields);
                var filter = SubscriptionFilterInput(model);
                _out.Add(filter);
                var field = new OutField(name, model.Name, [new OutField("filter", filter.Name)]);
                field.Directives.Add($"@aws_subscribe(mutations: [{Quote(mutationName ?? string.Empty)}])");
                subscription.Add(field);
            }
        }

        AddRootFields(_subscription, subscription);
    }

    private OutType SubscriptionFilterInput(ModelInfo model)
    {
        var name = $"ModelSubscription{model.Name}FilterInput";
        var input = new OutType(OutKind.Input, name);
        foreach (var field in model.Type.Fields)
        {
            var baseType = TypeRefs.Base(field.Type);
            if (TypeRefs.IsScalar(field.Type) || IsEnum(baseType))
            {
                var filter = TypeRefs.ScalarFilterInput(IsEnum(baseType) ? "String" : baseType, subscription: true);
                input.Fields.Add(new OutField(field.Name, filter));
            }
        }

        input.Fields.Add(new OutField("and", $"[{name}]"));
        input.Fields.Add(new OutField("or", $"[{name}]"));
        return input;
    }
}
