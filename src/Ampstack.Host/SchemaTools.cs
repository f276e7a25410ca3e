using Ampstack.Domain.Resources;
using Ampstack.ModelGen;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace Ampstack.Host;

/// <summary>
/// The domain's schema port, implemented where the server is composed: GraphQL syntax checks with GraphQL-Parser, and
/// data-model generation with <see cref="ModelGenerator"/>.
/// </summary>
public sealed class SchemaTools : ISchemaTools
{
    public SchemaCheck Check(string schema)
    {
        try
        {
            var document = Parser.Parse(schema, new ParserOptions { Ignore = IgnoreOptions.All });
            var models = document.Definitions.OfType<GraphQLObjectTypeDefinition>()
                .Count(type => type.Directives?.Items.Any(d => d.Name.Value == "model") == true);
            return new SchemaCheck(null, models);
        }
        catch (GraphQLParserException ex)
        {
            return new SchemaCheck($"line {ex.Location.Line}, column {ex.Location.Column}: {ex.Description}", 0);
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
