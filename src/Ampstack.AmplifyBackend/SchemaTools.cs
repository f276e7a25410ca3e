using Ampstack.Domain.Resources;
using GraphQLParser;
using GraphQLParser.Exceptions;

namespace Ampstack.AmplifyBackend;

/// <summary>GraphQL syntax checks with GraphQL-Parser, and model generation.</summary>
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

    public (string SchemaJs, string Introspection) GenerateModels(string schema)
    {
        if (FindSyntaxError(schema) is { } error)
        {
            throw new SchemaException("the transformSchema is not valid GraphQL: " + error);
        }

        throw new SchemaException("model generation is not available yet in this version of Ampstack.");
    }
}
