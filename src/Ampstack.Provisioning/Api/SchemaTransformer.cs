namespace Ampstack.Provisioning.Api;

/// <summary>
/// What the API's schema becomes before AppSync gets it: Amplify's GraphQL transformer (model types, connection fields,
/// queries, mutations, subscriptions, inputs), which the host gives (the model generator's port of it).
/// </summary>
public interface ISchemaTransformer
{
    /// <summary>
    /// The schema AppSync gets for the API's <c>@model</c> schema; throws
    /// <see cref="Domain.Resources.SchemaException"/> saying why when the transformer refuses it.
    /// </summary>
    string Transform(string schema);

    /// <summary>
    /// The global secondary indexes the transformer adds for relations to the related models' tables
    /// (<c>gsi-Blog.posts</c> on <c>Post</c>'s <c>blogPostsId</c>).
    /// </summary>
    IReadOnlyList<RelationIndex> RelationIndexes(string schema);

    /// <summary>The list query of a model, as the transformer names it (<c>listTodos</c>).</summary>
    string ListQuery(string model);
}

/// <summary>A global secondary index a relation adds to a model's table.</summary>
/// <param name="Model">The model whose table gets it.</param>
/// <param name="Name">The index's name (<c>gsi-Blog.posts</c>).</param>
/// <param name="Key">The key fields with their GraphQL types: the partition key, then the sort key fields.</param>
public sealed record RelationIndex(string Model, string Name, IReadOnlyList<(string Name, string Type)> Key);
