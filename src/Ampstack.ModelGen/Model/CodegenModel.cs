using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Model;

/// <summary>
/// A directive as the plugin keeps it: <c>{name, arguments, fieldName?}</c> (objects are shared and mutated, as in the
/// plugin).
/// </summary>
internal sealed class CgDirective
{
    public CgDirective(string name, JsObject arguments, SourcePos? pos = null)
    {
        Name = name;
        Arguments = arguments;
        Pos = pos;
    }

    public string Name { get; }

    public JsObject Arguments { get; set; }

    /// <summary>Set by the plugin's <c>flattenFieldDirectives</c>; part of the <c>version</c> hash input.</summary>
    public string? FieldName { get; set; }

    public SourcePos? Pos { get; }

    public object? Arg(string name) => Arguments[name];

    public CgDirective CloneWithArguments(JsObject arguments) => new(Name, arguments, Pos) { FieldName = FieldName };
}

internal enum PrimaryKeyType
{
    ManagedId,
    OptionallyManagedId,
    CustomId,
}

/// <param name="Type">Whether the key is the managed <c>id</c>, an optionally managed <c>id</c>, or custom.</param>
/// <param name="SortKeyFields">The sort key fields, null where the model has no field of that name.</param>
/// <param name="SortKeyNames">The sort key fields' names as the key directive gives them.</param>
internal sealed record PrimaryKeyInfo(PrimaryKeyType Type, IReadOnlyList<CgField?> SortKeyFields, IReadOnlyList<string> SortKeyNames);

internal enum ConnectionKind
{
    HasOne,
    BelongsTo,
    HasMany,
}

/// <summary>The plugin's <c>CodeGenFieldConnection</c>.</summary>
internal sealed class ConnectionInfo
{
    public required ConnectionKind Kind { get; init; }

    public required CgModel ConnectedModel { get; init; }

    public CgField? AssociatedWith { get; init; }

    public IReadOnlyList<CgField?> AssociatedWithFields { get; init; } = [];

    public string? TargetName { get; init; }

    /// <summary>Null where the plugin leaves <c>targetNames</c> undefined (<c>@hasOne(references:)</c>).</summary>
    public IReadOnlyList<string>? TargetNames { get; init; }

    public bool IsUsingReferences { get; init; }

    public static string KindName(ConnectionKind kind) => kind switch
    {
        ConnectionKind.HasOne => "HAS_ONE",
        ConnectionKind.BelongsTo => "BELONGS_TO",
        _ => "HAS_MANY",
    };
}

/// <summary>A field (or an operation, or an argument) as the plugin keeps it.</summary>
internal sealed class CgField
{
    public required string Name { get; init; }

    public required string Type { get; set; }

    public bool IsNullable { get; set; }

    public bool IsList { get; init; }

    /// <summary>Null where the plugin leaves <c>isListNullable</c> undefined (not a list).</summary>
    public bool? IsListNullable { get; init; }

    public bool? IsReadOnly { get; init; }

    public List<CgDirective> Directives { get; set; } = [];

    public List<CgField> Parameters { get; init; } = [];

    public PrimaryKeyInfo? PrimaryKeyInfo { get; set; }

    public ConnectionInfo? ConnectionInfo { get; set; }

    public SourcePos? Pos { get; init; }

    // Loops rather than Find/Exists with a lambda: these run for every field, and a capturing lambda allocates.
    public CgDirective? Directive(string name)
    {
        foreach (var directive in Directives)
        {
            if (directive.Name == name)
            {
                return directive;
            }
        }

        return null;
    }

    public bool HasDirective(string name) => Directive(name) is not null;
}

/// <summary>A model or non-model type.</summary>
internal sealed class CgModel
{
    public required string Name { get; init; }

    public List<CgDirective> Directives { get; set; } = [];

    public List<CgField> Fields { get; set; } = [];

    public SourcePos? Pos { get; init; }

    public CgField? Field(string name)
    {
        foreach (var field in Fields)
        {
            if (field.Name == name)
            {
                return field;
            }
        }

        return null;
    }

    public CgField? PrimaryKeyField => Fields.Find(f => f.PrimaryKeyInfo is not null);

    /// <summary><c>getModelPrimaryKeyComponentFields</c>: the primary key field, then its sort key fields.</summary>
    public List<CgField?> PrimaryKeyComponentFields()
    {
        var pk = PrimaryKeyField;
        if (pk is null)
        {
            return [];
        }

        return [pk, .. pk.PrimaryKeyInfo!.SortKeyFields];
    }

    /// <summary><c>addFieldToModel</c>: adds unless a field of that name exists.</summary>
    public void AddField(CgField field)
    {
        if (Field(field.Name) is null)
        {
            Fields.Add(field);
        }
    }

    public void RemoveField(string name) => Fields = Fields.Where(f => f.Name != name).ToList();

    /// <summary><c>flattenFieldDirectives</c>: every field directive, stamped with its field name (a visible side effect).</summary>
    public List<CgDirective> FlattenFieldDirectives()
    {
        var all = new List<CgDirective>();
        foreach (var field in Fields)
        {
            foreach (var directive in field.Directives)
            {
                directive.FieldName = field.Name;
                all.Add(directive);
            }
        }

        return all;
    }
}

internal sealed class CgEnum
{
    public required string Name { get; init; }

    /// <summary>constantCase(value) to value, in JS object order.</summary>
    public required JsObject Values { get; init; }
}

internal sealed class CgInput
{
    public required string Name { get; init; }

    public required List<CgField> InputValues { get; init; }
}

/// <summary>Everything the visitor collected, keyed by name in schema order.</summary>
internal sealed class CgSchema
{
    public OrderedMap<CgModel> Models { get; } = new();

    public OrderedMap<CgModel> NonModels { get; } = new();

    public OrderedMap<CgEnum> Enums { get; } = new();

    public OrderedMap<CgField> Queries { get; } = new();

    public OrderedMap<CgField> Mutations { get; } = new();

    public OrderedMap<CgField> Subscriptions { get; } = new();

    public OrderedMap<CgInput> Inputs { get; } = new();

    public HashSet<string> Unions { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Interfaces { get; } = new(StringComparer.Ordinal);

    /// <summary>The scalars the schema declares (<c>scalar Money</c>), which codegen knows by name only.</summary>
    public HashSet<string> CustomScalars { get; } = new(StringComparer.Ordinal);
}

/// <summary>A string-keyed map that iterates in insertion order (a JS object whose keys are GraphQL names).</summary>
internal sealed class OrderedMap<T>
    where T : class
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);

    public int Count => _keys.Count;

    public IEnumerable<T> Values => _keys.Select(k => _values[k]);

    /// <summary>The keys in insertion order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public bool Contains(string key) => _values.ContainsKey(key);

    public T? Get(string key) => _values.GetValueOrDefault(key);

    public void Set(string key, T value)
    {
        if (!_values.ContainsKey(key))
        {
            _keys.Add(key);
        }

        _values[key] = value;
    }
}
