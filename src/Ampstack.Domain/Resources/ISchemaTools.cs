namespace Ampstack.Domain.Resources;

/// <summary>GraphQL schema checks and data-model generation, behind a port so the domain stays free of parsers.</summary>
public interface ISchemaTools
{
    /// <summary>Parses the schema: its syntax error (a message naming line and column) or its number of <c>@model</c> types.</summary>
    SchemaCheck Check(string schema);

    /// <summary>Generates the data models; throws <see cref="SchemaException"/> with a readable message when it cannot.</summary>
    (string SchemaJs, string Introspection) GenerateModels(string schema);
}

/// <summary>What a parse of a schema found.</summary>
/// <param name="SyntaxError">Null when the text is a valid GraphQL document, else a message naming line and column.</param>
/// <param name="ModelCount">The object types marked <c>@model</c> (0 when the text does not parse).</param>
public sealed record SchemaCheck(string? SyntaxError, int ModelCount);

/// <summary>The schema cannot be turned into models; the message says why and where.</summary>
public sealed class SchemaException(string message) : Exception(message);
