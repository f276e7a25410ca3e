using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Ampstack.AmplifyBackend;
using Ampstack.Aws.Client;
using Ampstack.Aws.Model;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Resources.Outputs;

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

    /// <summary>
    /// The wire layer answers its own refusals in the error each service names for them (<c>ServiceOptions.BadRequest</c>,
    /// <c>NoRoute</c>): no error shape of any vendored model is named in its source, code or comment.
    /// </summary>
    [Fact]
    public void The_wire_layer_names_no_error_of_a_service()
    {
        var models = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "spec"), "service-2.json", SearchOption.AllDirectories)
            .Select(path => VendoredModels.Load(Path.GetRelativePath(AppContext.BaseDirectory, path)))
            .ToList();
        Assert.True(models.Count >= 9, $"only {models.Count} vendored models were found beside the tests");
        var errors = models.SelectMany(m => m.Shapes.Values).Where(s => s.Error is not null).Select(s => s.Name).Distinct().ToList();
        Assert.Contains("BadRequestException", errors);
        var sources = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "AwsSource"), "*.cs", SearchOption.AllDirectories);
        Assert.Contains(sources, s => s.EndsWith("ServiceOptions.cs", StringComparison.Ordinal));
        var named = sources.SelectMany(file => errors
                .Where(error => Regex.IsMatch(File.ReadAllText(file), $@"\b{error}\b"))
                .Select(error => $"{Path.GetRelativePath(AppContext.BaseDirectory, file)}: {error}"))
            .ToList();
        Assert.Empty(named);
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

    /// <summary>
    /// The domain's JSON is its own documents': configurations under the model's member names, which are the generated
    /// records' property names (no attribute renames them to the wire's <c>locationName</c>s), and amplify-meta's outputs,
    /// whose few camelCase keys are named by attribute. No JSON name in the domain is one of the service's wire names.
    /// </summary>
    [Fact]
    public void The_domain_names_json_members_as_its_documents_do_never_as_the_wire()
    {
        var named = Domain.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(p => (Property: p, Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name))
            .Where(p => p.Name is not null)
            .ToList();
        Assert.NotEmpty(named);
        Assert.All(named, p => Assert.Equal(typeof(ApiOutputs).Namespace, p.Property.DeclaringType!.Namespace));
        var wireNames = AmplifyBackendModel.Instance.Shapes.Values.SelectMany(s => s.Members)
            .Where(m => m.WireName != m.Name).Select(m => m.WireName).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(named, p => wireNames.Contains(p.Name!));
    }
}
