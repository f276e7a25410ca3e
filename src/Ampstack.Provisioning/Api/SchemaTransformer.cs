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

    /// <summary>The list query of a model, as the transformer names it (<c>listTodos</c>).</summary>
    string ListQuery(string model);
}
