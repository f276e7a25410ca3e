using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Processing;
using Ampstack.ModelGen.Sdl;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Output;

/// <summary>
/// Writes the two outputs with the reference's exact key order, straight to JSON text: the model introspection
/// schema (AppSyncModelIntrospectionVisitor) and the DataStore schema (AppSyncJSONVisitor).
/// </summary>
internal sealed partial class MetadataWriter(CgSchema schema, GeneratorOptions options)
{
    private const string CodegenVersion = "3.4.4";

    private enum TypeKind
    {
        Scalar,
        Enum,
        NonModel,
        Model,
        Input,
        Union,
        Interface,
    }

    /// <summary>Where a type is used: the introspection schema allows different kinds in each place.</summary>
    private enum Usage
    {
        Field,
        Operation,
        Argument,
    }

    private readonly record struct FieldType(TypeKind Kind, string Name);

    private readonly Dictionary<string, TypeKind> _kinds = KindsOf(schema);

    /// <summary>
    /// The introspection schema's first JSON schema violation: the reference validates the whole output after it
    /// has generated it, so an unknown type anywhere is reported before any violation.
    /// </summary>
    private ModelGenException? _invalid;

    private bool IsIntrospection => options.Format == OutputFormat.Introspection;

    /// <summary>
    /// A writer sized for this schema's output (about 5,000 bytes per type: renting that much up front saves regrowing
    /// the buffer).
    /// </summary>
    public JsonText NewJson() => new(4, 4096 + (5000 * (schema.Models.Count + schema.NonModels.Count)));

    /// <summary>Writes the output of <see cref="GeneratorOptions.Format"/>.</summary>
    public void Write(JsonText json)
    {
        if (IsIntrospection)
        {
            Introspection(json);
        }
        else
        {
            DataStore(json);
        }
    }

    private void Introspection(JsonText json)
    {
        json.BeginObject().Key("version"u8).Value(1.0);
        WriteTypes(json);
        WriteOperations(json, "queries", schema.Queries.Values.Where(q => !q.HasDirective("generation")));
        WriteOperations(json, "generations", schema.Queries.Values.Where(q => q.HasDirective("generation")));
        WriteOperations(json, "mutations", schema.Mutations.Values.Where(m => !m.HasDirective("conversation")));
        WriteConversations(json, schema.Mutations.Values.Where(m => m.HasDirective("conversation")));
        WriteOperations(json, "subscriptions", schema.Subscriptions.Values);
        if (schema.Inputs.Count > 0)
        {
            json.Key("inputs"u8).BeginObject();
            foreach (var input in schema.Inputs.Values)
            {
                json.Key(input.Name).BeginObject().Member("name"u8, input.Name).Key("attributes"u8);
                WriteArguments(json, input.InputValues, input.Name);
                json.EndObject();
            }

            json.EndObject();
        }

        json.EndObject();
        if (_invalid is not null)
        {
            throw _invalid;
        }
    }

    private void DataStore(JsonText json)
    {
        CheckDeclarations();
        var version = VersionHash.Compute(schema, options);
        json.BeginObject();
        WriteTypes(json);
        json.Member("codegenVersion"u8, CodegenVersion).Member("version"u8, version).EndObject();
    }

    /// <summary>models, enums, nonModels.</summary>
    private void WriteTypes(JsonText json)
    {
        json.Key("models"u8).BeginObject();
        foreach (var model in schema.Models.Values)
        {
            json.Key(model.Name);
            WriteModel(json, model);
        }

        json.EndObject().Key("enums"u8).BeginObject();
        foreach (var e in schema.Enums.Values)
        {
            json.Key(e.Name).BeginObject().Member("name"u8, e.Name).Key("values"u8).BeginArray();
            foreach (var (_, value) in e.Values.Entries)
            {
                json.Element().Value(value);
            }

            json.EndArray().EndObject();
        }

        json.EndObject().Key("nonModels"u8).BeginObject();
        foreach (var nonModel in schema.NonModels.Values)
        {
            json.Key(nonModel.Name).BeginObject();
            WriteNameAndFields(json, nonModel);
            json.EndObject();
        }

        json.EndObject();
    }

    private void WriteModel(JsonText json, CgModel model)
    {
        json.BeginObject();
        WriteNameAndFields(json, model);
        json.Member("syncable"u8, true).Member("pluralName"u8, Pluralizer.Plural(model.Name)).Key("attributes"u8).BeginArray();
        foreach (var directive in model.Directives)
        {
            json.Element().BeginObject().Member("type"u8, directive.Name).Key("properties"u8).Value(directive.Arguments).EndObject();
        }

        json.EndArray();
        if (IsIntrospection)
        {
            var pk = model.PrimaryKeyField ?? throw Errors.At(model, $"No primary key found for model {model.Name}");
            CheckSortKeys(model);
            json.Key("primaryKeyInfo"u8).BeginObject()
                .Member("isCustomPrimaryKey"u8, pk.PrimaryKeyInfo!.Type == PrimaryKeyType.CustomId)
                .Member("primaryKeyFieldName"u8, pk.Name)
                .Key("sortKeyFieldNames"u8).BeginArray();
            foreach (var sortKey in pk.PrimaryKeyInfo.SortKeyFields)
            {
                json.Element().Value(sortKey!.Name);
            }

            json.EndArray().EndObject();
        }
        json.EndObject();
    }

    /// <summary>
    /// The DataStore run writes index.d.ts (AppSyncModelTypeScriptVisitor) before schema.js, and that rejects first:
    /// model by model, then non-model by non-model, a missing sort key field (its identifier type needs every one)
    /// and a field whose type is none of a scalar, enum, model or non-model.
    /// </summary>
    private void CheckDeclarations()
    {
        foreach (var model in schema.Models.Values)
        {
            if (options.CustomPrimaryKeys)
            {
                CheckSortKeys(model);
            }

            CheckDeclaredTypes(model);
        }

        foreach (var nonModel in schema.NonModels.Values)
        {
            CheckDeclaredTypes(nonModel);
        }
    }

    /// <summary>The TypeScript visitor's <c>getNativeType</c>: a declared scalar passes here and fails in schema.js.</summary>
    private void CheckDeclaredTypes(CgModel type)
    {
        foreach (var field in type.Fields)
        {
            if (KindOf(field.Type) is TypeKind.Scalar or TypeKind.Enum or TypeKind.NonModel or TypeKind.Model
                || schema.CustomScalars.Contains(field.Type))
            {
                continue;
            }

            throw Errors.At(field.Pos ?? type.Pos, $"{type.Name}.{field.Name}",
                $"Unknown type {field.Type} for field {field.Name}. Did you forget to add the @model directive");
        }
    }

    private static void CheckSortKeys(CgModel model)
    {
        if (model.PrimaryKeyField is not { PrimaryKeyInfo: { } info } pk)
        {
            return;
        }

        for (var i = 0; i < info.SortKeyFields.Count; i++)
        {
            if (info.SortKeyFields[i] is null)
            {
                throw Errors.At(model, pk,
                    $"The sort key field '{info.SortKeyNames[i]}' of the primary key on type '{model.Name}' does not exist");
            }
        }
    }

    private void WriteNameAndFields(JsonText json, CgModel type)
    {
        json.Member("name"u8, type.Name).Key("fields"u8).BeginObject();
        foreach (var field in type.Fields)
        {
            var fieldType = TypeOf(field.Type, Usage.Field, field.Pos ?? type.Pos, type.Name, field.Name);
            if (fieldType is not { } resolved)
            {
                continue;
            }

            json.Key(field.Name).BeginObject().Member("name"u8, field.Name).Member("isArray"u8, field.IsList).Key("type"u8);
            WriteType(json, resolved);
            json.Member("isRequired"u8, !field.IsNullable).Key("attributes"u8).BeginArray().EndArray();
            if (field.IsListNullable is { } listNullable)
            {
                json.Member("isArrayNullable"u8, listNullable);
            }

            if (field.IsReadOnly is { } readOnly)
            {
                json.Member("isReadOnly"u8, readOnly);
            }

            if (field.ConnectionInfo is { } connection)
            {
                json.Key("association"u8);
                WriteAssociation(json, type, field, connection);
            }

            json.EndObject();
        }

        json.EndObject();
    }

    private void WriteAssociation(JsonText json, CgModel model, CgField field, ConnectionInfo connection)
    {
        json.BeginObject().Member("connectionType"u8, ConnectionInfo.KindName(connection.Kind));
        var arrays = IsIntrospection || options.CustomPrimaryKeys;
        switch (connection.Kind)
        {
            case ConnectionKind.HasMany when arrays:
                WriteNames(json.Key("associatedWith"u8), connection.AssociatedWithFields.Select(f => Relations.NameOf(f, model, field)));
                break;
            case ConnectionKind.HasMany:
                json.Member("associatedWith"u8, Relations.NameOf(connection.AssociatedWith, model, field));
                break;
            case ConnectionKind.HasOne when arrays:
                WriteNames(json.Key("associatedWith"u8), connection.AssociatedWithFields.Select(f => Relations.NameOf(f, model, field)));

                // The introspection visitor writes `targetNames ?? []`; the DataStore one leaves it out when undefined.
                if (connection.TargetNames is not null || IsIntrospection)
                {
                    WriteNames(json.Key("targetNames"u8), connection.TargetNames ?? []);
                }

                break;
            case ConnectionKind.HasOne:
                json.Member("associatedWith"u8, Relations.NameOf(connection.AssociatedWith, model, field));
                json.Member("targetName"u8, connection.TargetName!);
                break;
            case ConnectionKind.BelongsTo when arrays:
                WriteNames(json.Key("targetNames"u8), connection.TargetNames ?? []);
                break;
            default:
                json.Member("targetName"u8, connection.TargetName!);
                break;
        }

        json.EndObject();
    }

    private static void WriteNames(JsonText json, IEnumerable<string> names)
    {
        json.BeginArray();
        foreach (var name in names)
        {
            json.Element().Value(name);
        }

        json.EndArray();
    }

    private void WriteOperations(JsonText json, string key, IEnumerable<CgField> operations)
    {
        // Operations returning a union or interface are left out, and an empty section is not written at all.
        var written = false;
        foreach (var op in operations)
        {
            if (TypeOf(op.Type, Usage.Operation, op.Pos, op.Name, null) is not { } type)
            {
                continue;
            }

            if (!written)
            {
                json.Key(key).BeginObject();
                written = true;
            }

            json.Key(op.Name);
            WriteOperation(json, op, type);
        }

        if (written)
        {
            json.EndObject();
        }
    }

    /// <summary>The visitor's <c>generateGraphQLOperationMetadata</c>, with the type already resolved.</summary>
    private void WriteOperation(JsonText json, CgField op, FieldType type)
    {
        json.BeginObject().Member("name"u8, op.Name).Member("isArray"u8, op.IsList).Key("type"u8);
        WriteType(json, type);
        json.Member("isRequired"u8, !op.IsNullable);
        if (op.IsListNullable is { } listNullable)
        {
            json.Member("isArrayNullable"u8, listNullable);
        }

        if (op.Parameters.Count > 0)
        {
            json.Key("arguments"u8);
            WriteArguments(json, op.Parameters, op.Name);
        }

        json.EndObject();
    }

    private void WriteArguments(JsonText json, List<CgField> parameters, string owner)
    {
        json.BeginObject();
        foreach (var param in parameters)
        {
            json.Key(param.Name).BeginObject().Member("name"u8, param.Name).Member("isArray"u8, param.IsList).Key("type"u8);
            WriteType(json, TypeOf(param.Type, Usage.Argument, param.Pos, owner, param.Name)!.Value);
            json.Member("isRequired"u8, !param.IsNullable);
            if (param.IsListNullable is { } listNullable)
            {
                json.Member("isArrayNullable"u8, listNullable);
            }

            json.EndObject();
        }

        json.EndObject();
    }

    /// <summary>The type as written: an enum under the name it has in the schema's enums.</summary>
    private void WriteType(JsonText json, FieldType type) =>
        WriteTypeName(json, type.Kind == TypeKind.Enum ? type with { Name = schema.Enums.Get(type.Name)!.Name } : type);

    /// <summary>A scalar's name, or <c>{"model"|"nonModel"|"enum"|"input": name}</c>.</summary>
    private static void WriteTypeName(JsonText json, FieldType type)
    {
        if (type.Kind == TypeKind.Scalar)
        {
            json.Value(type.Name);
            return;
        }

        json.BeginObject().Member(type.Kind switch
        {
            TypeKind.Enum => "enum"u8,
            TypeKind.NonModel => "nonModel"u8,
            TypeKind.Model => "model"u8,
            _ => "input"u8,
        }, type.Name).EndObject();
    }

    /// <summary>
    /// The visitor's <c>getType</c> plus what the reference then rejects: unknown types, and (introspection) the
    /// JSON schema check. Null where the introspection visitor skips a union or interface typed field or operation.
    /// </summary>
    private FieldType? TypeOf(string type, Usage usage, SourcePos? pos, string owner, string? member)
    {
        var kind = KindOf(type);
        string Subject() => member is null ? owner : $"{owner}.{member}";
        if (!IsIntrospection)
        {
            // Any other kind was rejected by CheckDeclarations; what is left is a declared scalar.
            return kind is TypeKind.Scalar or TypeKind.Enum or TypeKind.NonModel or TypeKind.Model
                ? new FieldType(kind.Value, type)
                : throw Errors.At(pos, Subject(), $"Unknown type {type}");
        }

        if (kind is null)
        {
            throw Errors.At(pos, Subject(), $"Unknown type {type} found during model introspection schema generation");
        }

        if (usage != Usage.Argument && kind is TypeKind.Union or TypeKind.Interface)
        {
            return null;
        }

        var allowed = usage == Usage.Argument
            ? kind is TypeKind.Scalar or TypeKind.Enum or TypeKind.Input
            : kind is TypeKind.Scalar or TypeKind.Enum or TypeKind.Model or TypeKind.NonModel;
        if (!allowed)
        {
            var where = usage == Usage.Argument ? "an argument or input field" : "a field or operation result";
            _invalid ??= Errors.At(pos, Subject(),
                $"Data did not validate against the supplied schema: {type} ({kind}) cannot be the type of {where}");
        }

        return new FieldType(kind.Value, type);
    }

    private TypeKind? KindOf(string type) => _kinds.TryGetValue(type, out var kind) ? kind : null;

    /// <summary>
    /// Every type name's kind; where a name has several, the first of scalar, enum, non-model, model, input, union,
    /// interface.
    /// </summary>
    private static Dictionary<string, TypeKind> KindsOf(CgSchema schema)
    {
        var kinds = new Dictionary<string, TypeKind>(StringComparer.Ordinal);
        void Add(IEnumerable<string> names, TypeKind kind)
        {
            foreach (var name in names)
            {
                kinds.TryAdd(name, kind);
            }
        }

        Add(SchemaMerger.Scalars, TypeKind.Scalar);
        Add(schema.Enums.Keys, TypeKind.Enum);
        Add(schema.NonModels.Keys, TypeKind.NonModel);
        Add(schema.Models.Keys, TypeKind.Model);
        Add(schema.Inputs.Keys, TypeKind.Input);
        Add(schema.Unions, TypeKind.Union);
        Add(schema.Interfaces, TypeKind.Interface);
        return kinds;
    }
}
