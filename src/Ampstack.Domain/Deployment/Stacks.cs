using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Deployment;

/// <summary>A CloudFormation stack as DescribeStacks shows it.</summary>
/// <param name="Name">The stack name.</param>
/// <param name="Id">The stack ARN.</param>
/// <param name="Status"><c>CREATE_COMPLETE</c> or <c>UPDATE_COMPLETE</c>.</param>
/// <param name="CreatedAt">Epoch milliseconds.</param>
/// <param name="UpdatedAt">Epoch milliseconds of the last update, null when never updated.</param>
/// <param name="ParentId">The root stack's ARN, for a nested stack.</param>
/// <param name="Outputs">Output keys and values, in order.</param>
/// <param name="Description">The template's description.</param>
public sealed record StackInfo(
    string Name,
    string Id,
    string Status,
    long CreatedAt,
    long? UpdatedAt,
    string? ParentId,
    IReadOnlyList<KeyValuePair<string, string>> Outputs,
    string Description);

/// <summary>A resource of a stack as ListStackResources shows it.</summary>
public sealed record StackResourceInfo(string LogicalId, string PhysicalId, string Type, long UpdatedAt);

/// <summary>
/// The CloudFormation view of an environment, as <c>amplify push</c> leaves it: a root stack whose outputs are
/// amplify-meta's <c>providers.awscloudformation</c>, holding the deployment bucket, the two IAM roles and one nested stack
/// per resource (logical id = category + resource name, as the Amplify CLI reads them back), whose outputs are the
/// resource's amplify-meta <c>output</c>. Names and ARNs are derived from the root stack's, so they never change.
/// </summary>
public static class Stacks
{
    public static StackInfo Root(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var outputs = deployed.RootStack.StackOutputs();
        var updated = deployed.Resources.Count > 0;
        return new StackInfo(deployed.RootStackName, deployed.RootStackId, updated ? "UPDATE_COMPLETE" : "CREATE_COMPLETE",
            deployed.Environment.CreatedAt, updated ? deployed.UpdatedAt : null, null, outputs, "Root Stack for AWS Amplify CLI");
    }

    /// <summary>The nested stack of each resource, in the environment's resource order.</summary>
    public static IReadOnlyList<(ResourceRecord Resource, StackInfo Stack)> Nested(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        return deployed.Resources.Select(resource =>
        {
            var name = NestedName(deployed, resource);
            // A stack's outputs are strings; amplify-meta's other members (an API's authConfig) come from backend-config.
            var outputs = resource.Outputs
                .Where(o => o.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String)
                .Select(o => KeyValuePair.Create(o.Key, (string)o.Value!))
                .ToList();
            return (resource, new StackInfo(name, NestedId(deployed, name), "CREATE_COMPLETE", resource.CreatedAt, null,
                deployed.RootStackId, outputs, $"Amplify {Category(resource.Kind)} resource {resource.Name}"));
        }).ToList();
    }

    /// <summary>The root stack's resources: the deployment bucket, the auth and unauth roles, and each nested stack.</summary>
    public static IReadOnlyList<StackResourceInfo> RootResources(DeployedEnvironment deployed)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        var root = deployed.RootStack;
        var created = deployed.Environment.CreatedAt;
        var list = new List<StackResourceInfo>
        {
            new("AuthRole", root.AuthRoleName ?? "", "AWS::IAM::Role", created),
            new("DeploymentBucket", deployed.DeploymentBucket, "AWS::S3::Bucket", created),
            new("UnauthRole", root.UnauthRoleName ?? "", "AWS::IAM::Role", created),
        };
        list.AddRange(Nested(deployed).Select(n => new StackResourceInfo(LogicalId(n.Resource), n.Stack.Id, "AWS::CloudFormation::Stack",
            n.Resource.CreatedAt)));
        return list;
    }

    /// <summary>A template that describes the stack (its description, resources and outputs), as GetTemplate returns it.</summary>
    public static string Template(StackInfo stack, IReadOnlyList<StackResourceInfo> resources)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(resources);
        var resourceSection = new JsonObject();
        foreach (var resource in resources)
        {
            resourceSection[resource.LogicalId] = new JsonObject { ["Type"] = resource.Type };
        }

        var outputSection = new JsonObject();
        foreach (var (key, value) in stack.Outputs)
        {
            outputSection[key] = new JsonObject { ["Value"] = value };
        }

        return new JsonObject
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = stack.Description,
            ["Resources"] = resourceSection,
            ["Outputs"] = outputSection,
        }.ToJsonString();
    }

    /// <summary>The logical id of a resource's nested stack: category and name, as the Amplify CLI expects.</summary>
    public static string LogicalId(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Category(resource.Kind) + resource.Name;
    }

    private static string Category(ResourceKind kind) => kind.ToStored();

    private static string NestedName(DeployedEnvironment deployed, ResourceRecord resource) =>
        $"{deployed.RootStackName}-{LogicalId(resource)}-{Suffix(deployed.RootStackId + "/" + LogicalId(resource), 12)}";

    private static string NestedId(DeployedEnvironment deployed, string nestedName)
    {
        var rootArn = deployed.RootStackId;
        var prefix = rootArn[..(rootArn.IndexOf(":stack/", StringComparison.Ordinal) + ":stack/".Length)];
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(rootArn + "/" + nestedName));
        return $"{prefix}{nestedName}/{new Guid(hash.AsSpan(0, 16))}";
    }

    private static string Suffix(string seed, int length) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..length];
}
