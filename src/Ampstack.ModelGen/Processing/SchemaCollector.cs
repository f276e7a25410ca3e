using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Sdl;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Processing;

/// <summary>
/// The plugin's visitor pass (<c>AppSyncModelVisitor</c>'s ObjectTypeDefinition, EnumTypeDefinition, ...): sorts the
/// merged types into models, non-models, enums, operations and inputs, and shapes each model (primary key, timestamps).
/// </summary>
internal static class SchemaCollector
{
    private const string SkippedTypeName = "AMPLIFY";

    public static CgSchema Collect(MergedSchema schema, GeneratorOptions options)
    {
        var skip = new HashSet<string>(DirectiveSet.For(options.Version).InputAndEnumTypes, StringComparer.Ordinal) { SkippedTypeName };
        var result = new CgSchema();
        foreach (var type in schema.Types)
        {
            if (skip.Contains(type.Name))
            {
                continue;
            }

            switch (type.Kind)
            {
                case SdlTypeKind.Object:
                    CollectObject(result, schema, type, options);
                    break;
                case SdlTypeKind.InputObject:
                    result.Inputs.Set(type.Name, new CgInput { Name = type.Name, InputValues = Lists.Map(type.Fields, Field) });
                    break;
                case SdlTypeKind.Enum:
                    result.Enums.Set(type.Name, Enum(type));
                    break;
                case SdlTypeKind.Union:
                    result.Unions.Add(type.Name);
                    break;
                case SdlTypeKind.Interface:
                    result.Interfaces.Add(type.Name);
                    break;
                case SdlTypeKind.Scalar:
                    result.CustomScalars.Add(type.Name);
                    break;
                default:
                    break;
            }
        }

        return result;
    }

    private static void CollectObject(CgSchema result, MergedSchema schema, SdlTypeDef type, GeneratorOptions options)
    {
        var directives = Lists.Map(type.Directives, Directive);
        var fields = Lists.Map(type.Fields, Field);
        var modelDirective = directives.Find(d => d.Name == "model");
        if (modelDirective is not null)
        {
            var model = new CgModel { Name = type.Name, Directives = directives, Fields = fields, Pos = type.Pos };
            if (options.IsV2 || options.Format == OutputFormat.Introspection)
            {
                PrimaryKeys.EnsurePrimaryKeyField(model, options);
            }
            else
            {
                PrimaryKeys.EnsureIdField(model);
            }

            PrimaryKeys.AddTimestampFields(model, modelDirective);
            PrimaryKeys.SortFields(model);
            result.Models.Set(type.Name, model);
        }
        else if (type.Name == schema.QueryType)
        {
            fields.ForEach(f => result.Queries.Set(f.Name, f));
        }
        else if (type.Name == schema.MutationType)
        {
            fields.ForEach(f => result.Mutations.Set(f.Name, f));
        }
        else if (type.Name == schema.SubscriptionType)
        {
            fields.ForEach(f => result.Subscriptions.Set(f.Name, f));
        }
        else
        {
            result.NonModels.Set(type.Name, new CgModel { Name = type.Name, Directives = directives, Fields = fields, Pos = type.Pos });
        }
    }

    private static CgEnum Enum(SdlTypeDef type)
    {
        var values = new JsObject();
        foreach (var value in type.EnumValues)
        {
            values.Set(ChangeCase.ConstantCase(value), value);
        }

        return new CgEnum { Name = type.Name, Values = values };
    }

    /// <summary>FieldDefinition / InputValueDefinition: name, directives and <c>getTypeInfo</c>.</summary>
    private static CgField Field(SdlField field)
    {
        var (typeName, isNullable, isList, isListNullable) = TypeInfo(field.Type);
        var result = new CgField
        {
            Name = field.Name,
            Type = typeName,
            IsNullable = isNullable,
            IsList = isList,
            IsListNullable = isListNullable,
            Pos = field.Pos,
        };

        // Into the new field's own empty lists: replacing them would allocate two lists per field for nothing.
        foreach (var directive in field.Directives)
        {
            result.Directives.Add(Directive(directive));
        }

        foreach (var argument in field.Arguments)
        {
            result.Parameters.Add(Field(argument));
        }

        return result;
    }

    private static (string Type, bool IsNullable, bool IsList, bool? IsListNullable) TypeInfo(SdlTypeRef type)
    {
        if (type.Name is not null)
        {
            return (type.Name, true, false, null);
        }

        if (type.IsNonNull && type.OfType!.IsList)
        {
            var inner = TypeInfo(type.OfType.OfType!);
            return (inner.Type, inner.IsNullable, true, false);
        }

        if (type.IsNonNull)
        {
            var inner = TypeInfo(type.OfType!);
            return (inner.Type, false, inner.IsList, inner.IsListNullable);
        }

        var element = TypeInfo(type.OfType!);
        return (element.Type, element.IsNullable, true, true);
    }

    /// <summary><c>getDirectives</c>: arguments via valueFromASTUntyped; relation <c>references</c> always a list.</summary>
    private static CgDirective Directive(SdlDirective directive)
    {
        var arguments = new JsObject();
        var isRelation = directive.Name is "hasOne" or "belongsTo" or "hasMany";
        foreach (var argument in directive.Arguments)
        {
            arguments.Set(argument.Name, argument.Value.ToJs());
            if (isRelation && JsValues.Truthy(arguments["references"]) && arguments["references"] is not JsArray)
            {
                arguments.Set("references", new JsArray { arguments["references"] });
            }
        }

        return new CgDirective(directive.Name, arguments, directive.Pos);
    }
}
