using Ampstack.Domain.Resources;
using Ampstack.ModelGen;
using Ampstack.Provisioning.Api;

namespace Ampstack.Host;

/// <summary>
/// The schema AppSync gets is what Amplify's GraphQL transformer (v2) makes of the API's <c>@model</c> schema: model types
/// with their id, timestamps and connection fields, Query, Mutation and Subscription, and their input types
/// (<see cref="SchemaTransformer"/>, checked against Amplify's own transformer on a golden corpus).
/// </summary>
internal sealed class AmplifySchemaTransformer : ISchemaTransformer
{
    public string Transform(string schema)
    {
        try
        {
            return SchemaTransformer.Transform(schema);
        }
        catch (ModelGenException ex)
        {
            throw new SchemaException(ex.Message);
        }
    }

    public IReadOnlyList<RelationIndex> RelationIndexes(string schema) =>
        [.. SchemaTransformer.ConnectionIndexes(schema).Select(i => new RelationIndex(i.Model, i.Name, i.Key))];

    public string ListQuery(string model) => SchemaTransformer.ListQuery(model);
}
