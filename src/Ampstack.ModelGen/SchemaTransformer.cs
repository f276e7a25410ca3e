using Ampstack.ModelGen.Processing;
using Ampstack.ModelGen.Sdl;
using Ampstack.ModelGen.Transform;

namespace Ampstack.ModelGen;

/// <summary>
/// A <c>@model</c> schema to the schema AppSync serves: what Amplify's GraphQL transformer v2
/// (<c>@aws-amplify/graphql-transformer</c>, as <c>amplify push</c> of CLI 14 runs it for a new project) writes as the
/// build's <c>schema.graphql</c>: model types with their id, timestamps and connection fields; Query, Mutation and
/// Subscription; the filter, condition, key condition and mutation input types.
/// </summary>
public static class SchemaTransformer
{
    /// <summary>Transforms a schema (several files may be concatenated).</summary>
    /// <returns>The transformed schema in SDL, one blank line between types.</returns>
    /// <exception cref="ModelGenException">
    /// The schema is not valid GraphQL, uses the transformer v1 directives (<c>@key</c>, <c>@connection</c>,
    /// <c>@versioned</c>, which Amplify's v2 transformer also refuses), or the transformer rejects it.
    /// </exception>
    public static string Transform(string graphqlSchema)
    {
        ArgumentNullException.ThrowIfNull(graphqlSchema);
        if (TransformerDetector.Detect(graphqlSchema) == TransformerVersion.V1)
        {
            throw new ModelGenException(
                "The schema uses directives of the GraphQL transformer v1 (@key, @connection or @versioned); migrate it to v2 "
                + "(@primaryKey, @index, @hasMany, @hasOne, @belongsTo, @manyToMany): "
                + "https://docs.amplify.aws/cli/migration/transformer-migration/");
        }

        var document = SdlReader.Read(graphqlSchema, positions: true);
        return GraphQLTransform.Run(SchemaMerger.Merge(document, TransformerVersion.V2));
    }
}
