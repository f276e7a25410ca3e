using System.Reflection;
using System.Text.RegularExpressions;
using Ampstack.Aws.Client;
using Ampstack.Aws.Model;
using Ampstack.Domain.Jobs;

namespace Ampstack.Aws.Tests;

/// <summary>The layering the README promises, checked on the built assemblies.</summary>
public class ArchitectureTests
{
    private static readonly Assembly Aws = typeof(ServiceModel).Assembly;
    private static readonly Assembly Domain = typeof(JobService).Assembly;
    private static readonly Assembly Client = typeof(AwsServiceClient).Assembly;
    private static readonly string[] LongServiceNames = ["Amplify", "Cognito", "AppSync", "CloudFormation", "DynamoDb"];
    private static readonly string[] ShortServiceNames = ["Iam", "S3", "Sts"];

    /// <summary>
    /// The vendored services a type of <paramref name="assembly"/> names: anywhere in its full name for the long names, as
    /// a whole PascalCase word for the short ones (so <c>Sts</c> is found in <c>StsClient</c>, not in <c>Requests</c>).
    /// </summary>
    private static IEnumerable<string> ServiceNamesIn(Assembly assembly) => assembly.GetTypes().Select(t => t.FullName!)
        .SelectMany(name =>
        {
            var words = Regex.Matches(name, "[A-Z0-9][a-z0-9]*").Select(m => m.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
            return LongServiceNames.Where(s => name.Contains(s, StringComparison.OrdinalIgnoreCase))
                .Concat(ShortServiceNames.Where(words.Contains)).Select(s => $"{name}: {s}");
        });

    private static string[] References(Assembly assembly) => assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

    [Fact]
    public void The_wire_layer_knows_no_service()
    {
        Assert.DoesNotContain(Aws.GetTypes(), t => t.FullName!.Contains("Amplify", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(References(Aws), r => r.StartsWith("Ampstack.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_knows_no_service_and_stands_on_the_wire_layer_alone()
    {
        Assert.Empty(ServiceNamesIn(Client));
        Assert.Equal(["Ampstack.Aws"], References(Client).Where(r => r.StartsWith("Ampstack.", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_wire_layer_names_none_of_the_vendored_services() => Assert.Empty(ServiceNamesIn(Aws));

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
