using Ampstack.Domain.Resources;
using Ampstack.ModelGen;
using GraphQLParser;
using GraphQLParser.Exceptions;

namespace Ampstack.AmplifyBackend;

/// <summary>GraphQL syntax checks with GraphQL-Parser, and data-model generation with <see cref="ModelGenerator"/>.</summary>
public sealed class SchemaTools : ISchemaTools
{
    public string? FindSyntaxError(string schema)
    {
        try
        {
            Parser.Parse(schema, new ParserOptions { Ignore = IgnoreOptions.All });
            return null;
        }
        catch (GraphQLParserException ex)
        {
            return $"line {ex.Location.Line}, column {ex.Location.Column}: {ex.Description}";
        }
    }

    /// <summary>Both formats Amplify's codegen makes: the DataStore <c>schema.js</c> text and the introspection JSON.</summary>
    public (string SchemaJs, string Introspection) GenerateModels(string schema)
    {
        try
        {
            var models = ModelGenerator.Generate(schema);
            return (ModelGenerator.ToSchemaJs(models.DataStoreJson), models.IntrospectionJson);
        }
        catch (ModelGenException ex)
        {
            throw new SchemaException(ex.Message);
        }
    }
}
