using Ampstack.ModelGen.Sdl;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Transform;

/// <summary>The relational transformers: @hasMany, @hasOne, @belongsTo and @manyToMany (through its join model).</summary>
internal sealed partial class GraphQLTransform
{
    /// <summary>A relational directive's use: the model, its field, the directive and the related model.</summary>
    private sealed record Relation(ModelInfo Model, OutField Field, SdlDirective Directive, ModelInfo Related)
    {
        public List<string> Fields => Strings(Directive, "fields");

        public bool UsesReferences => Strings(Directive, "references").Count > 0;
    }

    /// <summary>The uses of one relational directive in document order, checked for a model type and list-ness.</summary>
    private IEnumerable<Relation> Relations(string name, bool list)
    {
        foreach (var model in _models)
        {
            foreach (var field in model.Declared)
            {
                if (Directive(field, name) is not { } directive)
                {
                    continue;
                }

                var related = RelatedModel(model, field, name);
                if (TypeRefs.IsAnyList(field.Type) != list)
                {
                    throw Invalid(list
                        ? "@hasMany must be used with a list. Use @hasOne for non-list types."
                        : $"@{name} cannot be used with lists." + (name == "hasOne" ? " Use @hasMany instead." : string.Empty));
                }

                yield return new Relation(model, field, directive, related);
            }
        }
    }

    private void HasManyPhase()
    {
        foreach (var (model, field, directive, related) in Relations("hasMany", list: true))
        {
            var fields = Strings(directive, "fields");
            var indexName = StringArg(directive, "indexName");
            var fieldNodes = FieldNodes(model, fields, "hasMany");
            var index = RelatedTypeIndex(related, indexName, fieldNodes, field, "hasMany");
            var references = Strings(directive, "references");
            if (fieldNodes.Count == 0 && references.Count == 0)
            {
                var sortKey = SortKeyFieldsOf(model);
                var pk = PrimaryKeyOf(model);
                var attribute = ChangeCase.JoinCamel(model.Name, field.Name, pk.Name);
                var nonNull = TypeRefs.IsNonNull(field.Type);
                AddConnectionFields(related, model.Name, field, attribute, TypeRefs.Base(pk.Type), sortKey, nonNull, model);
                AddConnectionIndex(model, field, related, [(attribute, TypeRefs.Base(pk.Type)),
                    .. sortKey.Select(k => (ChangeCase.JoinCamel(model.Name, field.Name, k.Name), TypeRefs.Base(k.Type)))]);
            }
            else if (references.Count > 0)
            {
                AddReferencesIndex(model, field, related, references);
            }

            // With references the related index is the references' fields: never a sort key argument.
            ExtendWithConnection(model, field, related, fields, indexName, references.Count > 0 ? [index[0]] : index);
        }
    }

    private void HasOnePhase()
    {
        foreach (var relation in Relations("hasOne", list: false))
        {
            var fieldNodes = FieldNodes(relation.Model, relation.Fields, "hasOne");
            RelatedTypeIndex(relation.Related, null, fieldNodes, relation.Field, "hasOne");
            if (fieldNodes.Count == 0 && !relation.UsesReferences)
            {
                AddHasOneConnectionFields(relation.Model, relation.Field, relation.Related);
            }
            else if (fieldNodes.Count == 0)
            {
                AddReferencesIndex(relation.Model, relation.Field, relation.Related, Strings(relation.Directive, "references"));
            }
        }
    }

    /// <summary>
    /// The index a relation keyed on the related model's connection attributes needs on its table, named as the
    /// transformer names it: <c>gsi-{Model}.{field}</c> (an implicit <c>@hasMany</c>, and a <c>@hasMany</c> or
    /// <c>@hasOne</c> with <c>references</c>; one with <c>indexName</c>/<c>fields</c> uses an index that is there).
    /// </summary>
    private void AddConnectionIndex(ModelInfo model, OutField field, ModelInfo related, List<(string Name, string Type)> key) =>
        _connectionIndexes.Add(new ConnectionIndex(related.Name, $"gsi-{model.Name}.{field.Name}", key));

    private void AddReferencesIndex(ModelInfo model, OutField field, ModelInfo related, List<string> references) =>
        AddConnectionIndex(model, field, related,
            [.. references.Select(r => (r, TypeRefs.Base(related.Type.Field(r)?.Type ?? "ID")))]);

    private void BelongsToPhase()
    {
        foreach (var relation in Relations("belongsTo", list: false))
        {
            var (model, field, _, related) = relation;
            var fieldNodes = FieldNodes(model, relation.Fields, "belongsTo");
            var back = related.Declared.Find(f => TypeRefs.Base(f.Type) == model.Name
                && (Directive(f, "hasOne") is not null || Directive(f, "hasMany") is not null));
            if (back is null)
            {
                throw Invalid($"{related.Name} must have a relationship with {model.Name} in order to use @belongsTo.");
            }

            if (fieldNodes.Count == 0 && !relation.UsesReferences && Directive(back, "hasOne") is not null)
            {
                AddHasOneConnectionFields(model, field, related);
            }
        }
    }

    /// <summary><c>ensureHasOneConnectionField</c>: the related key as <c>{type}{field}{key}</c> fields on this model.</summary>
    private void AddHasOneConnectionFields(ModelInfo model, OutField field, ModelInfo related)
    {
        var pk = PrimaryKeyOf(related);
        var attribute = ChangeCase.JoinCamel(model.Name, field.Name, pk.Name);
        AddConnectionFields(model, model.Name, field, attribute, TypeRefs.Base(pk.Type), SortKeyFieldsOf(related),
            TypeRefs.IsNonNull(field.Type), model);
    }

    /// <summary>
    /// Adds the connection attribute and its sort key attributes to <paramref name="target"/>'s type, create, update,
    /// filter and condition inputs, and to <paramref name="subscriptionOwner"/>'s subscription filter (the transformer's
    /// has-many puts them on the parent's, not the child's).
    /// </summary>
    private void AddConnectionFields(ModelInfo target, string typeName, OutField field, string attribute, string keyType,
        List<OutField> sortKey, bool nonNull, ModelInfo subscriptionOwner)
    {
        var attributes = new List<(string Name, string Type)> { (attribute, keyType) };
        attributes.AddRange(sortKey.Select(k => (ChangeCase.JoinCamel(typeName, field.Name, k.Name), TypeRefs.Base(k.Type))));
        foreach (var (name, type) in attributes)
        {
            target.Type.AddField(new OutField(name, nonNull ? type + "!" : type));
            _out.Get($"Create{target.Name}Input")?.AddField(new OutField(name, nonNull ? type + "!" : type));
            _out.Get($"Update{target.Name}Input")?.AddField(new OutField(name, type));
            _out.Get($"Model{target.Name}FilterInput")?.AddField(new OutField(name, TypeRefs.ScalarFilterInput(type)));
            _out.Get($"Model{target.Name}ConditionInput")?.AddField(new OutField(name, TypeRefs.ScalarFilterInput(type)));
            _out.Get($"ModelSubscription{subscriptionOwner.Name}FilterInput")
                ?.AddField(new OutField(name, TypeRefs.ScalarFilterInput(type, subscription: true)));
        }
    }

    /// <summary><c>extendTypeWithConnection</c>: the has-many field becomes a paginated connection.</summary>
    private void ExtendWithConnection(ModelInfo model, OutField field, ModelInfo related, List<string> fields, string? indexName,
        List<OutField> index)
    {
        var connection = AddConnectionType(related.Name);
        var args = new List<OutField>
        {
            new("filter", $"Model{related.Name}FilterInput"),
            new("sortDirection", "ModelSortDirection"),
            new("limit", "Int"),
            new("nextToken", "String"),
        };
        if (fields.Count < 2 && index.Count > 1)
        {
            args.Insert(0, index.Count == 2
                ? new OutField(index[1].Name, KeyConditionInputName(TypeRefs.Base(index[1].Type)))
                : new OutField(ChangeCase.JoinCamel([.. index.Skip(1).Select(k => k.Name)]),
                    $"Model{related.Name}{ChangeCase.ToUpper(indexName ?? "Primary")}CompositeKeyConditionInput"));
        }

        var replaced = new OutField(field.Name, connection, args) { Source = field.Source };
        replaced.Directives.AddRange(field.Directives);
        var position = model.Type.Fields.FindIndex(f => f.Name == field.Name);
        model.Type.Fields[position] = replaced;
        _out.Add(new OutType(OutKind.Enum, "ModelSortDirection") { Values = ["ASC", "DESC"] });
        if (!_out.Has($"Model{related.Name}FilterInput"))
        {
            _out.Add(ListFilterInput(related.Name, related.Type.Fields));
        }

        if (index.Count == 2)
        {
            AddScalarKeyConditionInput(TypeRefs.Base(index[1].Type));
        }
    }

    private ModelInfo RelatedModel(ModelInfo model, OutField field, string directive) =>
        Model(TypeRefs.Base(field.Type))
        ?? throw Invalid($"Object type {TypeRefs.Base(field.Type)} must be annotated with @model "
            + $"(@{directive} on {model.Name}.{field.Name}).");

    /// <summary><c>getFieldsNodes</c>: the <c>fields</c> argument's fields, which must be scalars or enums.</summary>
    private List<OutField> FieldNodes(ModelInfo model, List<string> fields, string directive)
    {
        var nodes = new List<OutField>();
        foreach (var name in fields)
        {
            var node = model.Declared.Find(f => f.Name == name) ?? throw Invalid($"{name} is not a field in {model.Name}");
            if (!(TypeRefs.IsScalar(node.Type) || IsEnum(TypeRefs.Base(node.Type))))
            {
                throw Invalid($"All fields provided to @{directive} must be scalar or enum fields.");
            }

            nodes.Add(node);
        }

        return nodes;
    }

    /// <summary><c>getRelatedTypeIndex</c>: the related model's primary key, or the named index, as fields.</summary>
    private static List<OutField> RelatedTypeIndex(
        ModelInfo related, string? indexName, List<OutField> fieldNodes, OutField field, string directive)
    {
        OutField? partition = null;
        var sortNames = new List<string>();
        foreach (var candidate in related.Type.Fields)
        {
            var key = candidate.Source.Find(d => indexName is null
                ? d.Name == "primaryKey"
                : d.Name == "index" && StringArg(d, "name") == indexName);
            if (key is not null)
            {
                partition = candidate;
                sortNames = Strings(key, "sortKeyFields");
                break;
            }
        }

        if (partition is null && indexName is not null)
        {
            throw Invalid($"Index {indexName} does not exist for model {related.Name}");
        }

        partition ??= related.Type.Field("id") ?? throw Invalid($"Expected partition field id to be found in map.");
        var sortFields = sortNames
            .Select(n => related.Type.Field(n) ?? throw Invalid($"Expected sort field {n} to be found in map.")).ToList();
        if (fieldNodes.Count > 0)
        {
            if (TypeRefs.Base(fieldNodes[0].Type) != TypeRefs.Base(partition.Type))
            {
                throw Invalid($"{fieldNodes[0].Name} field is not of type {TypeRefs.Base(partition.Type)}");
            }

            if (fieldNodes.Count > 1 && sortFields.Count != fieldNodes.Count - 1)
            {
                throw Invalid($"Invalid @{directive} directive on {field.Name}. Partial sort keys are not accepted.");
            }
        }

        return [partition, .. sortFields];
    }

    /// <summary><c>getObjectPrimaryKey</c>: the <c>@primaryKey</c> field, else <c>id: ID!</c>.</summary>
    private static OutField PrimaryKeyOf(ModelInfo model) =>
        model.Declared.Find(f => Directive(f, "primaryKey") is not null) ?? new OutField("id", "ID!");

    /// <summary><c>getSortKeyFields</c>: the primary key's sort key fields.</summary>
    private static List<OutField> SortKeyFieldsOf(ModelInfo model)
    {
        var result = new List<OutField>();
        foreach (var field in model.Type.Fields)
        {
            if (Directive(field, "primaryKey") is { } key)
            {
                result.AddRange(Strings(key, "sortKeyFields").Select(n => model.Type.Field(n)).OfType<OutField>());
            }
        }

        return result;
    }

    /// <summary>
    /// The many-to-many transformer's join models, one per <c>relationName</c>, appended after the schema's types; each
    /// <c>@manyToMany</c> field becomes a <c>@hasMany</c> on the join model's index for its side.
    /// </summary>
    private static List<SdlTypeDef> ManyToManyJoinTypes(List<SdlTypeDef> types)
    {
        var relations = new List<(string Name, List<(SdlTypeDef Type, SdlField Field)> Sides)>();
        foreach (var type in types)
        {
            foreach (var field in type.Fields)
            {
                if (field.Directives.Find(d => d.Name == "manyToMany") is not { } directive)
                {
                    continue;
                }

                var relationName = ChangeCase.GraphQLName(ChangeCase.ToUpper(StringArg(directive, "relationName") ?? string.Empty));
                var relation = relations.Find(r => r.Name == relationName);
                if (relation.Sides is null)
                {
                    relation = (relationName, []);
                    relations.Add(relation);
                }

                relation.Sides.Add((type, field));
            }
        }

        var joins = new List<SdlTypeDef>();
        foreach (var (name, sides) in relations)
        {
            if (sides.Count != 2)
            {
                throw Invalid($"@manyToMany relation '{name}' must be used in exactly two locations.");
            }

            if (types.Exists(t => t.Name == name))
            {
                throw Invalid($"@manyToMany relation name '{name}' already exists as a type in the schema.");
            }

            joins.Add(JoinType(name, sides[0], sides[1]));
        }

        return joins;
    }

    private static SdlTypeDef JoinType(string name, (SdlTypeDef Type, SdlField Field) one, (SdlTypeDef Type, SdlField Field) two)
    {
        var keyFields = new List<SdlField>();
        var typeFields = new List<SdlField>();
        foreach (var (type, field) in new[] { one, two })
        {
            var fieldName = ChangeCase.ToLower(type.Name);
            var pk = type.Fields.Find(f => f.Directives.Exists(d => d.Name == "primaryKey"));
            var pkName = pk?.Name ?? "id";
            var pkType = pk is null ? "ID" : pk.Type.NamedType;
            var sortKeys = pk is null ? [] : Strings(pk.Directives.Find(d => d.Name == "primaryKey")!, "sortKeyFields")
                .Select(n => type.Fields.Find(f => f.Name == n)).OfType<SdlField>().ToList();
            var idName = fieldName + ChangeCase.ToUpper(pkName);
            var sortNames = sortKeys.Select(k => fieldName + k.Name).ToList();
            var indexName = "by" + type.Name;
            var ownSide = new List<SdlField>
            {
                NewField(idName, pkType, [NewDirective("index", ("name", Str(indexName)), ("sortKeyFields", StrList(sortNames)))]),
            };
            ownSide.AddRange(sortKeys.Select((k, i) => NewField(sortNames[i], k.Type.NamedType, [])));
            keyFields.AddRange(ownSide);
            typeFields.Add(NewField(fieldName, type.Name, [NewDirective("hasOne", ("fields", StrList([idName, .. sortNames])))]));
            var position = type.Fields.IndexOf(field);
            type.Fields[position] = new SdlField
            {
                Name = field.Name,
                Type = new SdlTypeRef { IsList = true, OfType = new SdlTypeRef { Name = name } },
                Arguments = field.Arguments,
                Directives =
                [
                    .. field.Directives.Where(d => d.Name != "manyToMany"),
                    NewDirective("hasMany", ("indexName", Str(indexName)), ("fields", StrList([pkName, .. sortKeys.Select(k => k.Name)]))),
                ],
                Pos = field.Pos,
            };
        }

        var join = new SdlTypeDef { Kind = SdlTypeKind.Object, Name = name };
        join.Fields = [NewField("id", "ID", []), .. keyFields, .. typeFields];
        join.Directives.Add(NewDirective("model"));
        var rules = new[] { one.Type, two.Type }
            .Select(t => t.Directives.Find(d => d.Name == "auth"))
            .SelectMany(auth => auth is null ? [] : Arg(auth, "rules")?.Items ?? [])
            .ToList();
        if (rules.Count > 0)
        {
            join.Directives.Add(NewDirective("auth", ("rules", new SdlValue { Kind = SdlValueKind.List, Items = rules })));
        }

        return join;
    }

    private static SdlField NewField(string name, string namedType, List<SdlDirective> directives) => new()
    {
        Name = name,
        Type = new SdlTypeRef { IsNonNull = true, OfType = new SdlTypeRef { Name = namedType } },
        Arguments = [],
        Directives = directives,
    };

    private static SdlDirective NewDirective(string name, params (string Name, SdlValue Value)[] args) => new()
    {
        Name = name,
        Arguments = args.Select(a => new SdlArgument { Name = a.Name, Value = a.Value }).ToList(),
    };

    private static SdlValue Str(string text) => new() { Kind = SdlValueKind.String, Text = text };

    private static SdlValue StrList(IEnumerable<string> items) => new() { Kind = SdlValueKind.List, Items = items.Select(Str).ToList() };
}
