using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Transform;

/// <summary>What the transformer refuses before and beside its phases, with the reference's reasons.</summary>
internal sealed partial class GraphQLTransform
{
    /// <summary>The directives the transformer and AppSync know; any other is refused by the schema validation.</summary>
    private static readonly HashSet<string> KnownDirectives = new(StringComparer.Ordinal)
    {
        "model", "primaryKey", "index", "hasMany", "hasOne", "belongsTo", "manyToMany", "auth", "default", "mapsTo",
        "refersTo", "searchable", "function", "http", "predictions", "sql", "deprecated", "aws_subscribe", "aws_auth",
        "aws_api_key", "aws_iam", "aws_oidc", "aws_cognito_user_pools", "aws_lambda", "aws_publish",
    };

    /// <summary>In the transformer chain's order, which is the order their checks run in.</summary>
    private static readonly string[] RelationalDirectives = ["hasMany", "hasOne", "manyToMany", "belongsTo"];

    /// <summary>The schema validation (unknown directives) and the directives that cannot apply here at all.</summary>
    private static void Validate(MergedSchema schema, IEnumerable<string> declaredDirectives)
    {
        var known = new HashSet<string>(KnownDirectives, StringComparer.Ordinal);
        known.UnionWith(declaredDirectives);
        foreach (var type in schema.Types)
        {
            var uses = type.Directives.Concat(type.Fields.SelectMany(f => f.Directives.Concat(f.Arguments.SelectMany(a => a.Directives))));
            if (uses.FirstOrDefault(d => !known.Contains(d.Name)) is { } unknown)
            {
                throw Invalid($"Schema validation failed.\n\nUnknown directive \"@{unknown.Name}\".");
            }
        }

        var fields = schema.Types
            .SelectMany(t => t.Fields.Select(f => (Type: t, Field: f, Model: t.Directives.Exists(d => d.Name == "model"))))
            .ToList();
        if (schema.Types.Exists(t => t.Directives.Exists(d => d.Name == "searchable") && !t.Directives.Exists(d => d.Name == "model")))
        {
            throw Invalid("Types annotated with @searchable must also be annotated with @model.");
        }

        if (fields.Exists(f => f.Field.Directives.Exists(d => d.Name == "predictions")))
        {
            throw Invalid("Please configure storage in your project in order to use the @predictions directive");
        }

        foreach (var relational in RelationalDirectives)
        {
            if (fields.Exists(f => !f.Model && f.Field.Directives.Exists(d => d.Name == relational)))
            {
                throw Invalid($"@{relational} must be on an @model object type field.");
            }
        }

        if (fields.Find(f => f.Model && f.Field.Directives.Exists(d => d.Name == "refersTo")) is { Type: { } sqlOnly })
        {
            throw Invalid($"@refersTo is only supported on SQL models. {sqlOnly.Name} is not a SQL model.");
        }
    }

    /// <summary>
    /// Field-level rules that let someone read a field the model's own rules do not let read need rules on every required
    /// field too.
    /// </summary>
    private static void ValidateFieldRules(
        ModelInfo model, List<AuthRole> typeRoles, List<(OutField Field, List<AuthRole> Roles)> fieldRoles)
    {
        var readers = fieldRoles.SelectMany(f => f.Roles).Where(r => r.Operations.Contains("get"));
        if (!readers.Any(r => !typeRoles.Exists(t => t.Same(r) && t.Operations.Contains("get"))))
        {
            return;
        }

        var missing = model.Declared
            .Where(f => TypeRefs.IsNonNull(f.Type) && !fieldRoles.Exists(r => r.Field == f))
            .Select(f => $"\"{f.Name}\"")
            .ToList();
        if (missing.Count > 0)
        {
            throw Invalid("When using field-level authorization rules you need to add rules to all of the model's required fields with "
                + $"at least read permissions. Found model \"{model.Name}\" with required fields [{string.Join(",", missing)}] missing "
                + "field-level authorization rules.\n\nFor more information visit "
                + "https://docs.amplify.aws/cli/graphql/authorization-rules/#field-level-authorization-rules");
        }
    }
}
