using System.Reflection;
using Ampstack.Domain.Jobs;

namespace Ampstack.Provisioning.Tests;

/// <summary>Provisioning's place in the layering (beside tests/Ampstack.Aws.Tests/ArchitectureTests.cs).</summary>
public sealed class LayeringTests
{
    private static string[] References(Assembly assembly) => [.. assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    [Fact]
    public void Provisioning_stands_on_the_domain_and_the_client_and_serves_nothing()
    {
        var references = References(typeof(EndpointProvisioner).Assembly);
        Assert.Equal(["Ampstack.Aws", "Ampstack.Aws.Client", "Ampstack.Domain"],
            references.Where(r => r.StartsWith("Ampstack.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(references, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void The_domain_knows_provisioning_only_as_its_port() => Assert.DoesNotContain(References(typeof(JobService).Assembly),
        r => r.StartsWith("Ampstack.Provisioning", StringComparison.Ordinal));
}
