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

    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "Golden");

    public static IEnumerable<string> SchemaNames() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.graphql")
            .Select(p => Path.GetFileNameWithoutExtension(p)!)
            .Order(StringComparer.Ordinal);

    public static string Schema(string name) => File.ReadAllText(Path.Combine(Directory, name + ".graphql"));

    public static string ExpectedPath(string name, string format) => Path.Combine(Directory, "expected", $"{name}.{format}.json");

    public static string ErrorPath(string name, string format) => Path.Combine(Directory, "expected", $"{name}.{format}.error.txt");

    public static ModelFormat ToFormat(string format) => format == "datastore" ? ModelFormat.DataStore : ModelFormat.Introspection;
}
