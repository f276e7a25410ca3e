using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Processing;

/// <summary>What the reference generator was asked for.</summary>
internal enum OutputFormat
{
    /// <summary>model-introspection.json (target <c>introspection</c>).</summary>
    Introspection,

    /// <summary>The DataStore <c>schema.js</c> object (target <c>javascript</c>, metadata visitor).</summary>
    DataStore,
}

/// <summary>The plugin options that differ between runs.</summary>
internal sealed record GeneratorOptions(TransformerVersion Version, OutputFormat Format)
{
    /// <summary><c>usePipelinedTransformer || transformerVersion === 2</c>.</summary>
    public bool IsV2 => Version == TransformerVersion.V2;

    /// <summary>
    /// <c>isCustomPKEnabled()</c>: v2 with respectPrimaryKeyAttributesOnConnectionField, which the reference sets for
    /// v2 only.
    /// </summary>
    public bool CustomPrimaryKeys => IsV2;
}
