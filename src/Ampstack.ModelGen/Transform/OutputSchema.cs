using System.Text;
using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Transform;

internal enum OutKind
{
    Object,
    Input,
    Enum,
    Interface,
    Union,
    Scalar,
}

/// <summary>A field, argument or input field of the output schema; its type is written as in SDL (<c>[Post!]!</c>).</summary>
internal sealed class OutField
{
    public OutField(string name, string type, List<OutField>? args = null)
    {
        Name = name;
        Type = type;
        Args = args ?? [];
    }

    public string Name { get; }

    public string Type { get; set; }

    public List<OutField> Args { get; set; }

    /// <summary>An argument's or input field's default value as SDL text (<c>10</c>, <c>"en"</c>), when it has one.</summary>
    public string? DefaultValue { get; init; }

    /// <summary><c>name: Type</c>, with <c> = default</c> when there is one.</summary>
    public string Declaration => DefaultValue is null ? $"{Name}: {Type}" : $"{Name}: {Type} = {DefaultValue}";

    /// <summary>The directives printed with the field (only AppSync's own, <c>@aws_*</c>), as SDL text.</summary>
    public List<string> Directives { get; } = [];

    /// <summary>The field's directives in the input schema (@primaryKey, @index, @hasMany...), which are not printed.</summary>
    public List<SdlDirective> Source { get; init; } = [];
}

internal sealed class OutType
{
    public OutType(OutKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    public OutKind Kind { get; }

    public string Name { get; }

    public List<OutField> Fields { get; set; } = [];

    public List<string> Values { get; init; } = [];

    public List<string> Interfaces { get; init; } = [];

    public List<string> Members { get; init; } = [];

    /// <summary>The directives printed with the type (<c>@aws_*</c>), as SDL text.</summary>
    public List<string> Directives { get; } = [];

    public OutField? Field(string name) => Fields.Find(f => f.Name == name);

    public bool HasField(string name) => Field(name) is not null;

    /// <summary>Appends the field unless one of that name exists (the transformer's own rule everywhere).</summary>
    public void AddField(OutField field)
    {
        if (!HasField(field.Name))
        {
            Fields.Add(field);
        }
    }

    public void RemoveField(string name) => Fields.RemoveAll(f => f.Name == name);
}

/// <summary>The transformer's output document: types in the order they were first added.</summary>
internal sealed class OutputSchema
{
    private readonly List<OutType> _order = [];
    private readonly Dictionary<string, OutType> _byName = new(StringComparer.Ordinal);

    public IReadOnlyList<OutType> Types => _order;

    public OutType? Get(string name) => _byName.GetValueOrDefault(name);

    public bool Has(string name) => _byName.ContainsKey(name);

    /// <summary>Adds the type unless one of that name exists; returns the one in the schema.</summary>
    public OutType Add(OutType type)
    {
        if (_byName.TryGetValue(type.Name, out var existing))
        {
            return existing;
        }

        _byName[type.Name] = type;
        _order.Add(type);
        return type;
    }

    /// <summary>The root operation type, created at the end of the document when first needed.</summary>
    public OutType Root(string name) => Add(new OutType(OutKind.Object, name));

    public string Print()
    {
        var sb = new StringBuilder(_order.Count * 256);
        foreach (var type in _order.Where(t => t.Kind != OutKind.Object || t.Fields.Count > 0))
        {
            if (sb.Length > 0)
            {
                sb.Append('\n');
            }

            PrintType(sb, type);
        }

        return sb.ToString();
    }

    private static void PrintType(StringBuilder sb, OutType type)
    {
        var keyword = type.Kind switch
        {
            OutKind.Object => "type",
            OutKind.Input => "input",
            OutKind.Enum => "enum",
            OutKind.Interface => "interface",
            OutKind.Union => "union",
            _ => "scalar",
        };
        sb.Append(keyword).Append(' ').Append(type.Name);
        if (type.Interfaces.Count > 0)
        {
            sb.Append(" implements ").AppendJoin(" & ", type.Interfaces);
        }

        foreach (var directive in type.Directives)
        {
            sb.Append(' ').Append(directive);
        }

        switch (type.Kind)
        {
            case OutKind.Scalar:
                sb.Append('\n');
                return;
            case OutKind.Union:
                sb.Append(" = ").AppendJoin(" | ", type.Members).Append('\n');
                return;
            case OutKind.Enum:
                sb.Append(" {\n");
                foreach (var value in type.Values)
                {
                    sb.Append("  ").Append(value).Append('\n');
                }

                sb.Append("}\n");
                return;
        }

        sb.Append(" {\n");
        foreach (var field in type.Fields)
        {
            if (type.Kind == OutKind.Input)
            {
                sb.Append("  ").Append(field.Declaration);
                foreach (var directive in field.Directives)
                {
                    sb.Append(' ').Append(directive);
                }

                sb.Append('\n');
                continue;
            }

            sb.Append("  ").Append(field.Name);
            if (field.Args.Count > 0)
            {
                sb.Append('(').AppendJoin(", ", field.Args.Select(a => a.Declaration)).Append(')');
            }

            sb.Append(": ").Append(field.Type);
            foreach (var directive in field.Directives)
            {
                sb.Append(' ').Append(directive);
            }

            sb.Append('\n');
        }

        sb.Append("}\n");
    }
}
