using System.Text.RegularExpressions;
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
public static partial class SchemaTransformer
{
    [GeneratedRegex(@"@(connection|key|versioned)\b", RegexOptions.ECMAScript)]
    private static partial Regex V1Directive();

    /// <summary>The list query the transformer makes for a model that names none (<c>listPeople</c> for <c>Person</c>).</summary>
    public static string ListQuery(string model) => ModelConfig.DefaultListQuery(model);

    /// <summary>Transforms a schema (several files may be concatenated).</summary>
    /// <returns>The transformed schema in SDL, one blank line between types.</returns>
    /// <exception cref="ModelGenException">
    /// The schema is not valid GraphQL, uses the transformer v1 directives (<c>@key</c>, <c>@connection</c>,
    /// <c>@versioned</c>: refused as Amplify's v2 transformer refuses them, with the migration guide's address), or the
    /// transformer rejects it (the reference's reason where the port checks the same thing).
    /// </exception>
    public static string Transform(string graphqlSchema) => Run(graphqlSchema).Schema;

    /// <summary>
    /// The global secondary indexes the transformer adds to related models' tables for their relations
    /// (<c>gsi-Blog.posts</c> on <c>Post</c>'s <c>blogPostsId</c>), beside the <c>@primaryKey</c> and <c>@index</c> keys
    /// the model introspection schema already describes.
    /// </summary>
    /// <exception cref="ModelGenException">As <see cref="Transform"/>.</exception>
    public static IReadOnlyList<ConnectionIndex> ConnectionIndexes(string graphqlSchema) => Run(graphqlSchema).Indexes;

    private static (string Schema, IReadOnlyList<ConnectionIndex> Indexes) Run(string graphqlSchema)
    {
        ArgumentNullException.ThrowIfNull(graphqlSchema);
        if (TransformerDetector.Detect(graphqlSchema) == TransformerVersion.V1)
        {
            var directive = V1Directive().Match(graphqlSchema).Groups[1].Value;
            throw new ModelGenException(
                $"Your GraphQL Schema is using \"@{directive}\" directive from an older version of the GraphQL Transformer. Visit "
                + "https://docs.amplify.aws/cli/migration/transformer-migration/ to learn how to migrate your GraphQL schema.");
        }

        SdlDocument document;
        MergedSchema merged;
        try
        {
            (document, merged) = Read(graphqlSchema, positions: false);
        }
        catch (ModelGenException)
        {
            // Without positions the common case is faster; a rejection is read again for its line and column.
            (document, merged) = Read(graphqlSchema, positions: true);
            throw;
        }

        return GraphQLTransform.RunAll(merged, document.DirectiveDefinitions.Select(d => d.Name));
    }

    private static (SdlDocument Document, MergedSchema Merged) Read(string graphqlSchema, bool positions)
    {
        var document = SdlReader.Read(graphqlSchema, positions);
        CheckDefinitions(document);
        try
        {
            return (document, SchemaMerger.Merge(document, TransformerVersion.V2));
        }
        catch (ModelGenException e) when (e.Reason?.StartsWith("Unknown type", StringComparison.Ordinal) == true)
        {
            throw new ModelGenException($"Schema validation failed.\n\n{e.Message}", e);
        }
    }

    /// <summary>
    /// graphql-js's schema validation: one definition per type name (the transformer's own types count), and no
    /// extension of a missing type.
    /// </summary>
    private static void CheckDefinitions(SdlDocument document)
    {
        var defined = new HashSet<string>(DirectiveSet.For(TransformerVersion.V2).InputAndEnumTypes, StringComparer.Ordinal);
        foreach (var type in document.Types.Where(t => !t.IsExtension))
        {
            if (!defined.Add(type.Name))
            {
                throw new ModelGenException($"Schema validation failed.\n\nThere can be only one type named \"{type.Name}\".");
            }
        }

        var scalars = new HashSet<string>(SchemaMerger.Scalars, StringComparer.Ordinal);
        foreach (var type in document.Types.Where(t => t.IsExtension && !defined.Contains(t.Name) && !scalars.Contains(t.Name)))
        {
            throw new ModelGenException($"Cannot extend nonexistent type '{type.Name}'.");
        }
    }
}

/// <summary>A global secondary index a relation adds to a model's table.</summary>
/// <param name="Model">The model whose table gets it (the relation's related model).</param>
/// <param name="Name">The index's name (<c>gsi-Blog.posts</c>).</param>
/// <param name="Key">The key fields with their GraphQL types: the partition key, then the sort key fields.</param>
public sealed record ConnectionIndex(string Model, string Name, IReadOnlyList<(string Name, string Type)> Key);
