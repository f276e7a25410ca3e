namespace Ampstack.Domain.Resources;

/// <summary>
/// What one API may make the server store and hold: a GraphQL schema's text and its number of <c>@model</c> types are
/// checked when the API is created or updated (400 naming <c>resourceConfig.transformSchema</c>), and the generated
/// models' size when they are made (the job fails). A 650 KB schema of tiny models once made 43 MB of models per API.
/// </summary>
public static class SchemaLimits
{
    /// <summary>The longest <c>transformSchema</c>, in characters (512 Ki).</summary>
    public const int MaxSchemaChars = 512 * 1024;

    /// <summary>The most <c>@model</c> types in one schema.</summary>
    public const int MaxModels = 1000;

    /// <summary>The largest generated models of one API (schema.js and introspection together), in characters (32 Mi).</summary>
    public const int MaxModelsChars = 32 * 1024 * 1024;
}
