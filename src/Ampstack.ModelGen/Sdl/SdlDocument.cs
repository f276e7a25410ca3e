using Ampstack.ModelGen.Js;

namespace Ampstack.ModelGen.Sdl;

/// <summary>A position in the input schema (1-based).</summary>
internal readonly record struct SourcePos(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}

internal enum SdlTypeKind
{
    Object,
    Interface,
    InputObject,
    Enum,
    Union,
    Scalar,
}

internal enum SdlValueKind
{
    Int,
    Float,
    String,
    Boolean,
    Null,
    Enum,
    List,
    Object,
    Variable,
}

/// <summary>A constant value as written in a directive argument.</summary>
internal sealed class SdlValue
{
    public required SdlValueKind Kind { get; init; }

    /// <summary>The literal text (Int, Float, Enum, Variable), the string (String) or "true"/"false".</summary>
    public string? Text { get; init; }

    public List<SdlValue>? Items { get; set; }

    public List<KeyValuePair<string, SdlValue>>? Fields { get; init; }

    /// <summary>graphql-js <c>valueFromASTUntyped</c>.</summary>
    public object? ToJs() => Kind switch
    {
        SdlValueKind.Int or SdlValueKind.Float => ParseNumber(Text!),
        SdlValueKind.String or SdlValueKind.Enum => Text,
        SdlValueKind.Boolean => Text == "true",
        SdlValueKind.Null => null,
        SdlValueKind.List => new JsArray(Items!.Select(i => i.ToJs())),
        SdlValueKind.Object => FieldsToJs(),
        _ => JsUndefined.Value,
    };

    private JsObject FieldsToJs()
    {
        var obj = new JsObject();
        foreach (var (name, value) in Fields!)
        {
            obj.Set(name, value.ToJs());
        }

        return obj;
    }

    private static double ParseNumber(string text) =>
        double.Parse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed class SdlArgument
{
    public required string Name { get; init; }

    public required SdlValue Value { get; set; }
}

internal sealed class SdlDirective
{
    public required string Name { get; init; }

    public required List<SdlArgument> Arguments { get; set; }

    public SourcePos Pos { get; init; }
}

/// <summary>A type reference: named, list of, or non-null of.</summary>
internal sealed class SdlTypeRef
{
    public string? Name { get; init; }

    public SdlTypeRef? OfType { get; init; }

    public bool IsList { get; init; }

    public bool IsNonNull { get; init; }

    public SourcePos Pos { get; init; }

    public string NamedType => Name ?? OfType!.NamedType;

    public override string ToString() =>
        Name ?? (IsList ? $"[{OfType}]" : $"{OfType}!");
}

/// <summary>A field, an argument or an input field.</summary>
internal sealed class SdlField
{
    public required string Name { get; init; }

    public required SdlTypeRef Type { get; set; }

    public required List<SdlField> Arguments { get; set; }

    public required List<SdlDirective> Directives { get; set; }

    public SourcePos Pos { get; init; }

    /// <summary>An argument's or input field's default value (<c>limit: Int = 10</c>), when it has one.</summary>
    public SdlValue? DefaultValue { get; init; }
}

internal sealed class SdlTypeDef
{
    public required SdlTypeKind Kind { get; set; }

    public required string Name { get; init; }

    public List<SdlDirective> Directives { get; set; } = [];

    public List<SdlField> Fields { get; set; } = [];

    public List<string> EnumValues { get; set; } = [];

    public List<SdlTypeRef> Members { get; set; } = [];

    public List<SdlTypeRef> Interfaces { get; set; } = [];

    public SourcePos Pos { get; init; }

    /// <summary>Whether this is an <c>extend type</c> (merged into the definition by <see cref="SchemaMerger"/>).</summary>
    public bool IsExtension { get; set; }
}

internal sealed class SdlDirectiveDef
{
    public required string Name { get; init; }

    public bool Repeatable { get; init; }
}

/// <summary>The type system definitions of a parsed schema, in document order.</summary>
internal sealed class SdlDocument
{
    public List<SdlTypeDef> Types { get; } = [];

    public List<SdlDirectiveDef> DirectiveDefinitions { get; } = [];

    /// <summary>Root operation types from <c>schema { ... }</c>: operation ("query") to type name.</summary>
    public List<KeyValuePair<string, string>> RootOperations { get; } = [];
}
