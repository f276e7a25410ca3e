namespace Ampstack.ModelGen.Sdl;

/// <summary>The schema as the reference's plugin sees it: merged types in order, and the root operation types.</summary>
internal sealed class MergedSchema
{
    public required List<SdlTypeDef> Types { get; init; }

    public string? QueryType { get; init; }

    public string? MutationType { get; init; }

    public string? SubscriptionType { get; init; }
}

/// <summary>
/// Reproduces what the reference does between parsing and the plugin: <c>mergeTypeDefs</c> of the user's schema with
/// the transformer's directive definitions and the scalar declarations (duplicate types and extensions merged, in order
/// of first appearance), then <c>buildASTSchema</c>'s check that every referenced type exists.
/// </summary>
internal static class SchemaMerger
{
    public static readonly IReadOnlyList<string> Scalars =
    [
        "ID", "String", "Int", "Float", "Boolean", "AWSDate", "AWSTime", "AWSDateTime", "AWSTimestamp",
        "AWSEmail", "AWSJSON", "AWSURL", "AWSPhone", "AWSIPAddress",
    ];

    public static MergedSchema Merge(SdlDocument document, TransformerVersion version)
    {
        var directives = DirectiveSet.For(version);
        var repeatable = new HashSet<string>(directives.Repeatable, StringComparer.Ordinal);
        foreach (var def in document.DirectiveDefinitions)
        {
            if (def.Repeatable)
            {
                repeatable.Add(def.Name);
            }
        }

        var merged = new Dictionary<string, SdlTypeDef>(StringComparer.Ordinal);
        var order = new List<SdlTypeDef>();
        foreach (var type in document.Types)
        {
            if (merged.TryGetValue(type.Name, out var existing))
            {
                MergeInto(existing, type, repeatable);
            }
            else
            {
                merged[type.Name] = type;
                order.Add(type);
            }
        }

        var known = new HashSet<string>(merged.Keys, StringComparer.Ordinal);
        known.UnionWith(Scalars);
        known.UnionWith(directives.InputAndEnumTypes);
        CheckReferences(order, known);

        string? Root(string operation, string defaultName)
        {
            foreach (var (op, name) in document.RootOperations)
            {
                if (op == operation)
                {
                    return name;
                }
            }

            return merged.ContainsKey(defaultName) ? defaultName : null;
        }

        return new MergedSchema
        {
            Types = order,
            QueryType = Root("query", "Query"),
            MutationType = Root("mutation", "Mutation"),
            SubscriptionType = Root("subscription", "Subscription"),
        };
    }

    /// <summary>
    /// Merges a later definition or extension into the first one. As in <c>mergeGraphQLNodes</c>, the later node's
    /// kind decides the merge (and the result's kind), keeping what that kind has of the earlier node.
    /// </summary>
    private static void MergeInto(SdlTypeDef existing, SdlTypeDef node, HashSet<string> repeatable)
    {
        existing.Directives = MergeDirectives(node.Directives, existing.Directives, repeatable);
        var kind = node.Kind;
        existing.Fields = kind is SdlTypeKind.Object or SdlTypeKind.Interface or SdlTypeKind.InputObject
            ? MergeFields(existing, node.Fields, existing.Fields, repeatable)
            : [];
        existing.Interfaces = kind is SdlTypeKind.Object or SdlTypeKind.Interface ? MergeNamed(node.Interfaces, existing.Interfaces) : [];

        // mergeEnumValues: the later definition's values first, then the earlier ones not repeated.
        existing.EnumValues = kind == SdlTypeKind.Enum
            ? node.EnumValues.Concat(existing.EnumValues.Where(v => !node.EnumValues.Contains(v))).ToList()
            : [];
        existing.Members = kind == SdlTypeKind.Union ? MergeNamed(node.Members, existing.Members) : [];
        existing.Kind = kind;
    }

    private static List<SdlTypeRef> MergeNamed(List<SdlTypeRef> first, List<SdlTypeRef> second) =>
        second.Concat(first.Where(f => !second.Exists(s => s.Name == f.Name))).ToList();

    private static List<SdlField> MergeFields(SdlTypeDef type, List<SdlField> added, List<SdlField> existing, HashSet<string> repeatable)
    {
        var result = new List<SdlField>(existing);
        foreach (var field in added)
        {
            var index = result.FindIndex(f => f.Name == field.Name);
            if (index < 0)
            {
                result.Add(field);
                continue;
            }

            var current = result[index];
            PreventConflicts(type, current, field);
            current.Arguments = MergeFieldArguments(field.Arguments, current.Arguments);
            current.Directives = MergeDirectives(field.Directives, current.Directives, repeatable);
        }

        return result;
    }

    private static List<SdlField> MergeFieldArguments(List<SdlField> added, List<SdlField> existing)
    {
        var result = new List<SdlField>(existing);
        foreach (var arg in added)
        {
            if (!result.Exists(a => a.Name == arg.Name))
            {
                result.Add(arg);
            }
        }

        return result;
    }

    private static void PreventConflicts(SdlTypeDef type, SdlField existing, SdlField field)
    {
        var a = existing.Type.ToString();
        var b = field.Type.ToString();
        if (a != b)
        {
            if (existing.Type.NamedType != field.Type.NamedType)
            {
                throw new ModelGenException(
                    $"Unable to merge GraphQL type \"{type.Name}\": Field \"{field.Name}\" already defined with a different type. " +
                    $"Declared as \"{existing.Type.NamedType}\", but you tried to override with \"{field.Type.NamedType}\"",
                    field.Pos,
                    $"{type.Name}.{field.Name}");
            }

            if (!SafeChange(existing.Type, field.Type, true))
            {
                throw new ModelGenException(
                    $"Unable to merge GraphQL type \"{type.Name}\": Field '{type.Name}.{field.Name}' changed type from '{a}' to '{b}'",
                    field.Pos,
                    $"{type.Name}.{field.Name}");
            }
        }

        if (field.Type.IsNonNull && !existing.Type.IsNonNull)
        {
            existing.Type = field.Type;
        }
    }

    private static bool SafeChange(SdlTypeRef oldType, SdlTypeRef newType, bool ignoreNullability)
    {
        var oldWrapping = oldType.Name is null;
        var newWrapping = newType.Name is null;
        if (!oldWrapping && !newWrapping)
        {
            // The reference compares the nodes' toString(), which is "[object Object]" for both.
            return true;
        }

        if (newType.IsNonNull)
        {
            var ofType = oldType.IsNonNull ? oldType.OfType! : oldType;
            return SafeChange(ofType, newType.OfType!, false);
        }

        if (oldType.IsNonNull)
        {
            return SafeChange(newType, oldType, ignoreNullability);
        }

        if (oldType.IsList)
        {
            return (newType.IsList && SafeChange(oldType.OfType!, newType.OfType!, false))
                || (newType.IsNonNull && SafeChange(oldType, newType.OfType!, false));
        }

        return false;
    }

    /// <summary><c>mergeDirectives(added, existing)</c>: the existing ones (duplicates folded), then the added ones.</summary>
    private static List<SdlDirective> MergeDirectives(List<SdlDirective> added, List<SdlDirective> existing, HashSet<string> repeatable)
    {
        var result = new List<SdlDirective>();
        foreach (var directive in existing)
        {
            var first = result.Find(d => d.Name == directive.Name);
            if (first is not null && !repeatable.Contains(directive.Name))
            {
                first.Arguments = MergeArguments(directive.Arguments, first.Arguments);
            }
            else
            {
                result.Add(directive);
            }
        }

        foreach (var directive in added)
        {
            var first = result.Find(d => d.Name == directive.Name);
            if (first is not null && !repeatable.Contains(directive.Name))
            {
                first.Arguments = MergeArguments(directive.Arguments, first.Arguments);
            }
            else
            {
                result.Add(directive);
            }
        }

        return result;
    }

    private static List<SdlArgument> MergeArguments(List<SdlArgument> added, List<SdlArgument> existing)
    {
        var result = new List<SdlArgument>(existing);
        foreach (var argument in added)
        {
            var current = result.Find(a => a.Name == argument.Name);
            if (current is null)
            {
                result.Add(argument);
            }
            else if (current.Value.Kind == SdlValueKind.List)
            {
                var source = current.Value.Items!;
                var target = argument.Value.Items ?? [];
                current.Value.Items = source.Concat(target.Where(t => t.Text is null || !source.Exists(s => s.Text == t.Text))).ToList();
            }
            else
            {
                current.Value = argument.Value;
            }
        }

        return result;
    }

    /// <summary>buildASTSchema resolves every named type, type by type (interfaces, then fields and their arguments).</summary>
    private static void CheckReferences(List<SdlTypeDef> types, HashSet<string> known)
    {
        // The subject is only built for the error: this runs for every field and argument of the schema.
        void Check(SdlTypeRef type, SdlTypeDef owner, SdlField? field = null, SdlField? argument = null)
        {
            if (!known.Contains(type.NamedType))
            {
                var subject = (field, argument) switch
                {
                    (null, _) => owner.Name,
                    (_, null) => $"{owner.Name}.{field.Name}",
                    _ => $"{owner.Name}.{field.Name}({argument.Name})",
                };
                throw new ModelGenException($"Unknown type: \"{type.NamedType}\".", NamedPos(type), subject);
            }
        }

        foreach (var type in types)
        {
            foreach (var member in type.Members)
            {
                Check(member, type);
            }

            foreach (var iface in type.Interfaces)
            {
                Check(iface, type);
            }

            foreach (var field in type.Fields)
            {
                Check(field.Type, type, field);
                foreach (var arg in field.Arguments)
                {
                    Check(arg.Type, type, field, arg);
                }
            }
        }
    }

    private static SourcePos NamedPos(SdlTypeRef type) => type.Name is null ? NamedPos(type.OfType!) : type.Pos;
}
