namespace Ampstack.Domain.Resources;

/// <summary>GraphQL schema checks and data-model generation, behind a port so the domain stays free of parsers.</summary>
public interface ISchemaTools
{
    /// <summary>Null when the text is a valid GraphQL document, else a message naming line and column.</summary>
    string? FindSyntaxError(string schema);

    /// <summary>Generates the data models; throws <see cref="SchemaException"/> with a readable message when it cannot.</summary>
    (string SchemaJs, string Introspection) GenerateModels(string schema);
}

/// <summary>The schema cannot be turned into models; the message says why and where.</summary>
public sealed class SchemaException(string message) : Exception(message);
