using System.Globalization;
using System.Reflection;

namespace Ampstack.Domain.Storage;

/// <summary>
/// A store's numbered schema migrations, embedded in its assembly as <c>Migrations.NNNN_name.sql</c>, in version order.
/// Shared by every store so that their versions are counted the same way.
/// </summary>
public static class MigrationScripts
{
    private const string Prefix = "Migrations.";

    public static IReadOnlyList<(int Version, string Sql)> Read(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n[Prefix.Length..].Split('_')[0], CultureInfo.InvariantCulture), Sql: Text(assembly, n)))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static string Text(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
