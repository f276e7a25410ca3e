using System.Diagnostics;
using Ampstack.ModelGen.Model;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Ampstack.ModelGen.Sdl;

/// <summary>Parses SDL with GraphQL-Parser and keeps the type system definitions the generator needs.</summary>
internal sealed class SdlReader
{
    private static readonly ParserOptions WithLocations = new() { Ignore = IgnoreOptions.Comments };
    private static readonly ParserOptions WithoutLocations = new() { Ignore = IgnoreOptions.All };

    private readonly int[]? _lineStarts;

    /// <summary>Each distinct name once: the schema repeats type and directive names many times.</summary>
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _names =
        new HashSet<string>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private SdlReader(int[]? lineStarts) => _lineStarts = lineStarts;

    /// <summary>
    /// Parses the schema. Without <paramref name="positions"/> the nodes carry no source position (a lighter parse);
    /// syntax errors have a position either way.
    /// </summary>
    public static SdlDocument Read(string text, bool positions)
    {
        GraphQLDocument document;
        try
        {
            document = Parser.Parse(text, positions ? WithLocations : WithoutLocations);
        }
        catch (GraphQLParserException e)
        {
            throw new ModelGenException($"Syntax Error: {SyntaxErrors.Describe(e.Description)}",
                new SourcePos(e.Location.Line, e.Location.Column), null);
        }

        if (document.Definitions.Count == 0)
        {
            // graphql-js requires at least one definition.
            var end = Location.FromLinearPosition(text, text.Length);
            throw new ModelGenException("Syntax Error: Unexpected <EOF>.", new SourcePos(end.Line, end.Column), null);
        }

        return new SdlReader(positions ? LineStarts(text) : null).Convert(document);
    }

    private static SdlTypeDef Extension(SdlTypeDef type)
    {
        type.IsExtension = true;
        return type;
    }

    private SdlDocument Convert(GraphQLDocument document)
    {
        var result = new SdlDocument();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLObjectTypeDefinition d:
                    result.Types.Add(Complex(SdlTypeKind.Object, d.Name, d.Directives, d.Fields?.Items, d.Interfaces?.Items, d));
                    break;
                case GraphQLObjectTypeExtension d:
                    result.Types.Add(
                        Extension(Complex(SdlTypeKind.Object, d.Name, d.Directives, d.Fields?.Items, d.Interfaces?.Items, d)));
                    break;
                case GraphQLInterfaceTypeDefinition d:
                    result.Types.Add(Complex(SdlTypeKind.Interface, d.Name, d.Directives, d.Fields?.Items, d.Interfaces?.Items, d));
                    break;
                case GraphQLInterfaceTypeExtension d:
                    result.Types.Add(
                        Extension(Complex(SdlTypeKind.Interface, d.Name, d.Directives, d.Fields?.Items, d.Interfaces?.Items, d)));
                    break;
                case GraphQLInputObjectTypeDefinition d:
                    result.Types.Add(Input(d.Name, d.Directives, d.Fields?.Items, d));
                    break;
                case GraphQLInputObjectTypeExtension d:
                    result.Types.Add(Extension(Input(d.Name, d.Directives, d.Fields?.Items, d)));
                    break;
                case GraphQLEnumTypeDefinition d:
                    result.Types.Add(Enum(d.Name, d.Directives, d.Values?.Items, d));
                    break;
                case GraphQLEnumTypeExtension d:
                    result.Types.Add(Extension(Enum(d.Name, d.Directives, d.Values?.Items, d)));
                    break;
                case GraphQLUnionTypeDefinition d:
                    result.Types.Add(Union(d.Name, d.Directives, d.Types?.Items, d));
                    break;
                case GraphQLUnionTypeExtension d:
                    result.Types.Add(Extension(Union(d.Name, d.Directives, d.Types?.Items, d)));
                    break;
                case GraphQLScalarTypeDefinition d:
                    result.Types.Add(Basic(SdlTypeKind.Scalar, d.Name, d.Directives, d));
                    break;
                case GraphQLScalarTypeExtension d:
                    result.Types.Add(Extension(Basic(SdlTypeKind.Scalar, d.Name, d.Directives, d)));
                    break;
                case GraphQLDirectiveDefinition d:
                    result.DirectiveDefinitions.Add(new SdlDirectiveDef { Name = NameOf(d.Name), Repeatable = d.Repeatable });
                    break;
                case GraphQLSchemaDefinition d:
                    AddRootOperations(result, d.OperationTypes);
                    break;
                case GraphQLSchemaExtension d:
                    AddRootOperations(result, d.OperationTypes);
                    break;
                default:
                    // Executable definitions are ignored, as the reference's schema merge does.
                    break;
            }
        }

        return result;
    }

    private void AddRootOperations(SdlDocument result, List<GraphQLRootOperationTypeDefinition>? operations)
    {
        foreach (var op in operations ?? [])
        {
            var name = op.Operation switch
            {
                OperationType.Query => "query",
                OperationType.Mutation => "mutation",
                _ => "subscription",
            };
            if (!result.RootOperations.Exists(o => o.Key == name))
            {
                result.RootOperations.Add(new KeyValuePair<string, string>(name, NameOf(op.Type!.Name)));
            }
        }
    }

    private SdlTypeDef Basic(SdlTypeKind kind, GraphQLName name, GraphQLDirectives? directives, ASTNode node) => new()
    {
        Kind = kind,
        Name = NameOf(name),
        Directives = Directives(directives),
        Pos = PosOf(node),
    };

    private SdlTypeDef Complex(
        SdlTypeKind kind,
        GraphQLName name,
        GraphQLDirectives? directives,
        List<GraphQLFieldDefinition>? fields,
        List<GraphQLNamedType>? interfaces,
        ASTNode node)
    {
        var def = Basic(kind, name, directives, node);
        def.Fields = Lists.Map(fields, Field);
        def.Interfaces = Lists.Map(interfaces, Type);
        return def;
    }

    private SdlTypeDef Input(GraphQLName name, GraphQLDirectives? directives, List<GraphQLInputValueDefinition>? fields, ASTNode node)
    {
        var def = Basic(SdlTypeKind.InputObject, name, directives, node);
        def.Fields = Lists.Map(fields, InputValue);
        return def;
    }

    private SdlTypeDef Enum(GraphQLName name, GraphQLDirectives? directives, List<GraphQLEnumValueDefinition>? values, ASTNode node)
    {
        var def = Basic(SdlTypeKind.Enum, name, directives, node);
        def.EnumValues = Lists.Map(values, v => NameOf(v.Name));
        return def;
    }

    private SdlTypeDef Union(GraphQLName name, GraphQLDirectives? directives, List<GraphQLNamedType>? members, ASTNode node)
    {
        var def = Basic(SdlTypeKind.Union, name, directives, node);
        def.Members = Lists.Map(members, Type);
        return def;
    }

    private SdlField Field(GraphQLFieldDefinition field) => new()
    {
        Name = NameOf(field.Name),
        Type = Type(field.Type),
        Arguments = Lists.Map(field.Arguments?.Items, InputValue),
        Directives = Directives(field.Directives),
        Pos = PosOf(field),
    };

    private SdlField InputValue(GraphQLInputValueDefinition value) => new()
    {
        Name = NameOf(value.Name),
        Type = Type(value.Type),
        Arguments = [],
        Directives = Directives(value.Directives),
        Pos = PosOf(value),
        DefaultValue = value.DefaultValue is null ? null : Value(value.DefaultValue),
    };

    private SdlTypeRef Type(GraphQLType type) => type switch
    {
        GraphQLNamedType named => new SdlTypeRef { Name = NameOf(named.Name), Pos = PosOf(named) },
        GraphQLListType list => new SdlTypeRef { OfType = Type(list.Type), IsList = true, Pos = PosOf(list) },
        GraphQLNonNullType nonNull => new SdlTypeRef { OfType = Type(nonNull.Type), IsNonNull = true, Pos = PosOf(nonNull) },
        _ => throw new UnreachableException($"Unexpected type node {type.Kind}."),
    };

    private List<SdlDirective> Directives(GraphQLDirectives? directives) =>
        Lists.Map(directives?.Items, d => new SdlDirective
        {
            Name = NameOf(d.Name),
            Arguments = Lists.Map(d.Arguments?.Items, a => new SdlArgument { Name = NameOf(a.Name), Value = Value(a.Value) }),
            Pos = PosOf(d),
        });

    /// <summary>The name's text, one string per distinct name.</summary>
    private string NameOf(GraphQLName name)
    {
        var text = name.Value.Span;
        if (!_names.TryGetValue(text, out var interned))
        {
            interned = text.ToString();
            _names.Add(interned);
        }

        return interned;
    }

    private SdlValue Value(GraphQLValue value) => value switch
    {
        GraphQLIntValue v => new SdlValue { Kind = SdlValueKind.Int, Text = v.Value.ToString() },
        GraphQLFloatValue v => new SdlValue { Kind = SdlValueKind.Float, Text = v.Value.ToString() },
        GraphQLStringValue v => new SdlValue { Kind = SdlValueKind.String, Text = v.Value.ToString() },
        GraphQLBooleanValue v => new SdlValue { Kind = SdlValueKind.Boolean, Text = v.BoolValue ? "true" : "false" },
        GraphQLNullValue => new SdlValue { Kind = SdlValueKind.Null },
        GraphQLEnumValue v => new SdlValue { Kind = SdlValueKind.Enum, Text = NameOf(v.Name) },
        GraphQLListValue v => new SdlValue { Kind = SdlValueKind.List, Items = Lists.Map(v.Values, Value) },
        GraphQLObjectValue v => new SdlValue
        {
            Kind = SdlValueKind.Object,
            Fields = Lists.Map(v.Fields, f => new KeyValuePair<string, SdlValue>(NameOf(f.Name), Value(f.Value))),
        },
        GraphQLVariable v => new SdlValue { Kind = SdlValueKind.Variable, Text = NameOf(v.Name) },
        _ => throw new UnreachableException($"Unexpected value node {value.Kind}."),
    };

    /// <summary>Line and column of a node (lines end at \n, \r\n or \r, as in the GraphQL spec).</summary>
    private SourcePos PosOf(ASTNode node)
    {
        if (_lineStarts is null)
        {
            return default;
        }

        var offset = node.Location.Start;
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourcePos(line + 1, offset - _lineStarts[line] + 1);
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
            }

            if (text[i] is '\n' or '\r')
            {
                starts.Add(i + 1);
            }
        }

        return [.. starts];
    }
}
