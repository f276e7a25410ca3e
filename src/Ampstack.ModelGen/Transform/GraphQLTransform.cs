using System.Globalization;
using System.Text;
using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Transform;

/// <summary>A <c>@model</c> type as the transform goes: its input definition, arguments and output type.</summary>
internal sealed class ModelInfo
{
    public required string Name { get; init; }

    public required SdlTypeDef Source { get; init; }

    public required ModelConfig Config { get; init; }

    public required OutType Type { get; init; }

    /// <summary>The input definition's fields with their directives (before id and timestamps were added).</summary>
    public required List<OutField> Declared { get; init; }

    public bool DeclaresId => Declared.Exists(f => f.Name == "id");

    /// <summary>A many-to-many join model (its @auth joins both sides' rules, so a rule may come twice).</summary>
    public bool IsJoin { get; init; }
}

/// <summary>
/// Amplify's GraphQL transformer v2 (<c>@aws-amplify/graphql-transformer</c> with the Amplify CLI's new-project
/// feature flags), schema side only: the phases run in the transformer chain's order (model, primary key, index,
/// has-many, has-one, many-to-many, belongs-to, auth), each over the directives in document order.
/// </summary>
internal sealed partial class GraphQLTransform
{
    private readonly OutputSchema _out = new();
    private readonly List<ConnectionIndex> _connectionIndexes = [];
    private readonly List<ModelInfo> _models = [];
    private readonly Dictionary<string, ModelInfo> _modelsByName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _enums = new(StringComparer.Ordinal);
    private readonly string _query;
    private readonly string _mutation;
    private readonly string _subscription;

    private GraphQLTransform(MergedSchema schema)
    {
        _query = schema.QueryType ?? "Query";
        _mutation = schema.MutationType ?? "Mutation";
        _subscription = schema.SubscriptionType ?? "Subscription";
        foreach (var type in schema.Types)
        {
            if (type.Kind == SdlTypeKind.Enum)
            {
                _enums.Add(type.Name);
            }
        }

        var joins = ManyToManyJoinTypes(schema.Types);
        var joinNames = joins.Select(j => j.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var type in schema.Types.Concat(joins))
        {
            if (joinNames.Contains(type.Name))
            {
                // The join models come after what the searchable transformer adds while the schema is read.
                SearchableObjects();
            }

            var output = _out.Add(FromSource(type));
            if (type.Kind == SdlTypeKind.Object && type.Directives.Find(d => d.Name == "model") is { } model)
            {
                var info = new ModelInfo
                {
                    Name = type.Name,
                    Source = type,
                    Config = ModelConfig.Read(type.Name, model),
                    Type = output,
                    Declared = [.. output.Fields],
                    IsJoin = joinNames.Contains(type.Name),
                };
                _models.Add(info);
                _modelsByName[type.Name] = info;
            }
        }
    }

    public static string Run(MergedSchema schema, IEnumerable<string> declaredDirectives) => RunAll(schema, declaredDirectives).Schema;

    /// <summary>The transformed schema and the secondary indexes the relations add to related models' tables.</summary>
    public static (string Schema, IReadOnlyList<ConnectionIndex> Indexes) RunAll(MergedSchema schema,
        IEnumerable<string> declaredDirectives)
    {
        Validate(schema, declaredDirectives);
        var transform = new GraphQLTransform(schema);
        transform.SearchableObjects();
        transform.ModelPhase();
        transform.PrimaryKeyPhase();
        transform.IndexPhase();
        transform.HasManyPhase();
        transform.HasOnePhase();
        transform.BelongsToPhase();
        // The searchable inputs do not see the owner fields the auth phase adds (the reference's order of effects).
        transform.SearchablePhase();
        transform.AuthPhase();
        return (transform._out.Print(), transform._connectionIndexes);
    }

    private static OutType FromSource(SdlTypeDef type)
    {
        var kind = type.Kind switch
        {
            SdlTypeKind.Object => OutKind.Object,
            SdlTypeKind.InputObject => OutKind.Input,
            SdlTypeKind.Enum => OutKind.Enum,
            SdlTypeKind.Interface => OutKind.Interface,
            SdlTypeKind.Union => OutKind.Union,
            _ => OutKind.Scalar,
        };
        var output = new OutType(kind, type.Name)
        {
            Fields = type.Fields.Select(FromSource).ToList(),
            Values = [.. type.EnumValues],
            Interfaces = type.Interfaces.Select(i => i.NamedType).ToList(),
            Members = type.Members.Select(m => m.NamedType).ToList(),
        };
        output.Directives.AddRange(AppSyncDirectives(type.Directives));
        return output;
    }

    private static OutField FromSource(SdlField field)
    {
        var output = new OutField(field.Name, field.Type.ToString(), field.Arguments.Select(FromSource).ToList())
        {
            Source = field.Directives,
            DefaultValue = field.DefaultValue is null ? null : PrintValue(field.DefaultValue),
        };
        output.Directives.AddRange(AppSyncDirectives(field.Directives));
        return output;
    }

    /// <summary>The directives the output keeps: AppSync's (<c>@aws_*</c>, <c>@deprecated</c>); the transformer's are consumed.</summary>
    private static IEnumerable<string> AppSyncDirectives(List<SdlDirective> directives) =>
        directives.Where(d => d.Name.StartsWith("aws_", StringComparison.Ordinal) || d.Name == "deprecated").Select(PrintDirective);

    private static string PrintDirective(SdlDirective directive)
    {
        if (directive.Arguments.Count == 0)
        {
            return "@" + directive.Name;
        }

        var args = directive.Arguments.Select(a => $"{a.Name}: {PrintValue(a.Value)}");
        return $"@{directive.Name}({string.Join(", ", args)})";
    }

    private static string PrintValue(SdlValue value) => value.Kind switch
    {
        SdlValueKind.String => Quote(value.Text!),
        SdlValueKind.Null => "null",
        SdlValueKind.List => $"[{string.Join(", ", value.Items!.Select(PrintValue))}]",
        SdlValueKind.Object => $"{{{string.Join(", ", value.Fields!.Select(f => $"{f.Key}: {PrintValue(f.Value)}"))}}}",
        SdlValueKind.Variable => "$" + value.Text,
        _ => value.Text!,
    };

    private static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\n' => sb.Append("\\n"),
                _ when c < ' ' => sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => sb.Append(c),
            };
        }

        return sb.Append('"').ToString();
    }

    private static ModelGenException Invalid(string message) => new(message);

    private ModelInfo? Model(string name) => _modelsByName.GetValueOrDefault(name);

    private bool IsModel(string name) => _modelsByName.ContainsKey(name);

    private bool IsEnum(string name) => _enums.Contains(name) || _out.Get(name)?.Kind == OutKind.Enum;

    private static SdlDirective? Directive(OutField field, string name) => field.Source.Find(d => d.Name == name);

    private static SdlValue? Arg(SdlDirective directive, string name) => directive.Arguments.Find(a => a.Name == name)?.Value;

    /// <summary>A string or list-of-strings argument as a list (absent: empty).</summary>
    private static List<string> Strings(SdlDirective directive, string name) => Arg(directive, name) switch
    {
        { Kind: SdlValueKind.String } v => [v.Text!],
        { Kind: SdlValueKind.List } v => v.Items!.Select(i => i.Text ?? string.Empty).ToList(),
        _ => [],
    };

    private static string? StringArg(SdlDirective directive, string name) =>
        Arg(directive, name) is { Kind: SdlValueKind.String } v ? v.Text : null;
}
