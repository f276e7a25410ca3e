using System.Buffers;
using System.Text;
using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Output;
using Ampstack.ModelGen.Processing;
using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen;

/// <summary>The two outputs of Amplify's model codegen for one GraphQL schema.</summary>
/// <param name="DataStoreJson">
/// Exactly the reference's <c>--format datastore</c> output (4-space JSON) without its trailing newline.
/// </param>
/// <param name="IntrospectionJson">Exactly the reference's <c>--format introspection</c> output without its trailing newline.</param>
public sealed record GeneratorOutput(string DataStoreJson, string IntrospectionJson);

/// <summary>Which of codegen's outputs to produce.</summary>
public enum ModelFormat
{
    /// <summary>The model introspection schema (model-introspection.json, Gen 2's <c>model_introspection</c>).</summary>
    Introspection,

    /// <summary>The object DataStore's <c>models/schema.js</c> exports.</summary>
    DataStore,
}

/// <summary>
/// GraphQL SDL to Amplify DataStore models, byte-identical to <c>@aws-amplify/appsync-modelgen-plugin</c> 2.15.3 as
/// driven by <c>@aws-amplify/graphql-generator</c> 0.5.4, with the same automatic choice of transformer v1 or v2.
/// </summary>
public static class ModelGenerator
{
    /// <summary>Generates both outputs.</summary>
    /// <exception cref="ModelGenException">The schema is invalid, or codegen rejects it for either output.</exception>
    public static GeneratorOutput Generate(string graphqlSchema) =>
        WithPositionsOnError(graphqlSchema, positions =>
        {
            var (merged, version) = Prepare(graphqlSchema, positions);
            return new GeneratorOutput(
                Write(merged, new GeneratorOptions(version, OutputFormat.DataStore), json => json.ToString()),
                Write(merged, new GeneratorOptions(version, OutputFormat.Introspection), json => json.ToString()));
        });

    /// <summary>Generates one output (codegen accepts some schemas for one format and not the other).</summary>
    /// <exception cref="ModelGenException">The schema is invalid, or codegen rejects it for this output.</exception>
    public static string Generate(string graphqlSchema, ModelFormat format) =>
        Generate(graphqlSchema, format, json => json.ToString());

    /// <summary>
    /// Generates one output as UTF-8 into <paramref name="utf8Output"/>: the way to run it often on large schemas, as
    /// it needs no string of the output's size (the caller can reuse one buffer). Nothing is written on error.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ModelGenException">The schema is invalid, or codegen rejects it for this output.</exception>
    public static int Generate(string graphqlSchema, ModelFormat format, IBufferWriter<byte> utf8Output)
    {
        ArgumentNullException.ThrowIfNull(utf8Output);
        return Generate(graphqlSchema, format, json =>
        {
            var written = json.Written;
            written.CopyTo(utf8Output.GetSpan(written.Length));
            utf8Output.Advance(written.Length);
            return written.Length;
        });
    }

    /// <summary>
    /// The DataStore <c>schema.js</c> text, <c>export const schema = {...};</c>, for a <see cref="GeneratorOutput.DataStoreJson"/>.
    /// Every <c>;</c> inside a string is written <c>\u003b</c>, so the final one is the only <c>;</c>.
    /// </summary>
    public static string ToSchemaJs(string dataStoreJson)
    {
        ArgumentNullException.ThrowIfNull(dataStoreJson);
        var sb = new StringBuilder(dataStoreJson.Length + 32);
        sb.Append("export const schema = ");
        foreach (var c in dataStoreJson)
        {
            // Outside strings JSON has no ';', so every one is inside a string value.
            if (c == ';')
            {
                sb.Append("\\u003b");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.Append(';').ToString();
    }

    /// <summary>
    /// Runs without source positions (the common, successful case), and again with them when the schema is rejected,
    /// so that the error names its line and column. Only <see cref="ModelGenException"/> is a rejection: any other
    /// exception is a bug in the port and propagates as it is. Where the JavaScript plugin fails with a TypeError on
    /// a shape it does not expect, the port checks for that shape and throws a <see cref="ModelGenException"/> saying
    /// what is wrong.
    /// </summary>
    private static T WithPositionsOnError<T>(string graphqlSchema, Func<bool, T> run)
    {
        ArgumentNullException.ThrowIfNull(graphqlSchema);
        try
        {
            return run(false);
        }
        catch (ModelGenException e) when (e.Line is null)
        {
            run(true);
            throw;
        }
    }

    private static (MergedSchema Merged, TransformerVersion Version) Prepare(string graphqlSchema, bool positions)
    {
        var document = SdlReader.Read(graphqlSchema, positions);
        var version = TransformerDetector.Detect(graphqlSchema);
        return (SchemaMerger.Merge(document, version), version);
    }

    private static T Generate<T>(string graphqlSchema, ModelFormat format, Func<JsonText, T> result) =>
        WithPositionsOnError(graphqlSchema, positions =>
        {
            var (merged, version) = Prepare(graphqlSchema, positions);
            var outputFormat = format == ModelFormat.DataStore ? OutputFormat.DataStore : OutputFormat.Introspection;
            return Write(merged, new GeneratorOptions(version, outputFormat), result);
        });

    /// <summary>Writes one output into a pooled buffer and hands it to <paramref name="result"/> before giving the buffer back.</summary>
    private static T Write<T>(MergedSchema merged, GeneratorOptions options, Func<JsonText, T> result)
    {
        var schema = SchemaCollector.Collect(merged, options);
        DirectivePipeline.Process(schema, options);
        var writer = new MetadataWriter(schema, options);
        using var json = writer.NewJson();
        writer.Write(json);
        return result(json);
    }
}
