using System.Reflection;
using Ampstack.Aws.Model;
using Ampstack.Domain.Jobs;

namespace Ampstack.Aws.Tests;

/// <summary>The layering the README promises, checked on the built assemblies.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Aws = typeof(ServiceModel).Assembly;
    private static readonly Assembly Domain = typeof(JobService).Assembly;

    private static string[] References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

    [Fact]
    public void The_wire_layer_knows_no_service()
    {
        Assert.DoesNotContain(Aws.GetTypes(), t => t.FullName!.Contains("Amplify", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(References(Aws), r => r.StartsWith("Ampstack.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_domain_knows_neither_http_nor_sql_nor_the_wire()
    {
        var references = References(Domain);
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references,
            r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || r.Contains("Npgsql", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Ampstack.", StringComparison.Ordinal));
    }
}
