namespace Ampstack.ModelGen.Tests;

/// <summary>
/// The golden corpus: <c>Golden/NAME.graphql</c> with, per format, the reference generator's output
/// (<c>expected/NAME.FORMAT.json</c>) or its rejection (<c>expected/NAME.FORMAT.error.txt</c>).
/// Regenerate with tools/modelgen/regen.sh; never edit the expected files by hand.
/// </summary>
internal static class GoldenCorpus
{
    public static readonly string[] Formats = ["introspection", "datastore"];

    /// <summary>Cases known not to match the reference yet (NAME.FORMAT), reported as skipped rather than failed.</summary>
    public static readonly HashSet<string> KnownFailures = new(StringComparer.Ordinal)
    {
    };

    /// <summary>
    /// Rejections (NAME.FORMAT) whose reason we word better than the reference on purpose, with what our reason must
    /// say instead: the types and fields the schema implicates (the field at fault and its position follow the reason
    /// in the message). Every other rejection must give the reference's reason word for word (our position may follow).
    /// The reference's reasons here are JavaScript TypeErrors whose text depends on the node version, or ajv's JSON
    /// dump of every JSON schema violation.
    /// </summary>
    public static readonly Dictionary<string, string[]> ImprovedRejections = new(StringComparer.Ordinal)
    {
        // "Cannot read properties of undefined (reading 'fields')": ours says the @hasMany field's type is not a model.
        ["bad_hasmany_scalar.datastore"] = ["@hasMany", "Blog.tags", "String"],
        ["bad_hasmany_scalar.introspection"] = ["@hasMany", "Blog.tags", "String"],

        // "Cannot read properties of undefined (reading 'name')": ours names the sort key field that does not exist.
        ["bad_sortkey_missing.datastore"] = ["'takenAt'", "'Reading'"],
        ["bad_sortkey_missing.introspection"] = ["'takenAt'", "'Reading'"],

        // A dump of ajv's errors on /models/Place/fields/at/type: ours says which type cannot go where.
        ["bad_input_field.introspection"] = ["Coordinates (Input)", "the type of a field"],

        // A dump of ajv's errors on /queries/similar/arguments/to/type: ours says which type cannot go where.
        ["mixed_query_model_arg.introspection"] = ["Pet (Model)", "the type of an argument"],

        // A dump of ajv's errors on /conversations/chat/message/send/arguments/note/type: ours says which type cannot go where.
        ["v2_conversation_model_argument.introspection"] = ["Note (Model)", "the type of an argument"],
    };

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Golden");

    public static IEnumerable<string> SchemaNames() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.graphql")
            .Select(p => Path.GetFileNameWithoutExtension(p)!)
            .Order(StringComparer.Ordinal);

    public static string Schema(string name) => File.ReadAllText(Path.Combine(Directory, name + ".graphql"));

    public static string ExpectedPath(string name, string format) => Path.Combine(Directory, "expected", $"{name}.{format}.json");

    public static string ErrorPath(string name, string format) => Path.Combine(Directory, "expected", $"{name}.{format}.error.txt");

    /// <summary>The reference's reason for rejecting a schema: its message without the runner's <c>error: </c>.</summary>
    public static string ReferenceReason(string name, string format)
    {
        const string prefix = "error: ";
        var text = File.ReadAllText(ErrorPath(name, format)).Trim();
        return text.StartsWith(prefix, StringComparison.Ordinal)
            ? text[prefix.Length..]
            : throw new InvalidDataException(
                $"{name}.{format}: the reference's message does not start with '{prefix}' (run tools/modelgen/regen.sh)");
    }

    /// <summary>Splits <c>NAME.FORMAT</c>.</summary>
    public static (string Name, string Format) Split(string id)
    {
        var dot = id.LastIndexOf('.');
        return dot < 0 ? (id, string.Empty) : (id[..dot], id[(dot + 1)..]);
    }

    public static ModelFormat ToFormat(string format) => format == "datastore" ? ModelFormat.DataStore : ModelFormat.Introspection;
}
