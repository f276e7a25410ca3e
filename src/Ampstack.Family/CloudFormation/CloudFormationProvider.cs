using Ampstack.Aws.Errors;
using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Deployment;
using Ampstack.Family.CloudFormation.Api;
using Ampstack.Family.Common;

namespace Ampstack.Family.CloudFormation;

/// <summary>
/// CloudFormation reads of the stacks each environment would have after <c>amplify push</c> (<see cref="Stacks"/>): the
/// root stack, whose outputs are amplify-meta's provider section, and a nested stack per resource, whose outputs are the
/// resource's. What the Amplify CLI reads during <c>amplify pull</c>, and what <c>aws cloudformation</c> shows.
/// </summary>
public sealed class CloudFormationProvider(DeploymentService deployments) : ICloudFormation
{
    public async Task<DescribeStacksOutput> DescribeStacksAsync(AwsRequestContext context, DescribeStacksInput request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.StackName is { } name)
        {
            var (_, stack) = await FindAsync(context, name, cancellationToken).ConfigureAwait(false);
            return new() { Stacks = [ToStack(stack)] };
        }

        var all = await AllStacksAsync(context, cancellationToken).ConfigureAwait(false);
        return new() { Stacks = all.Select(ToStack).ToList() };
    }

    public async Task<ListStacksOutput> ListStacksAsync(AwsRequestContext context, ListStacksInput request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var all = await AllStacksAsync(context, cancellationToken).ConfigureAwait(false);
        var filter = request.StackStatusFilter;
        return new()
        {
            StackSummaries = all
                .Where(s => filter is null || filter.Count == 0 || filter.Contains(s.Status))
                .Select(s => new StackSummary
                {
                    StackId = s.Id,
                    StackName = s.Name,
                    TemplateDescription = s.Description,
                    CreationTime = Time(s.CreatedAt),
                    LastUpdatedTime = s.UpdatedAt is { } updated ? Time(updated) : null,
                    StackStatus = s.Status,
                    ParentId = s.ParentId,
                    RootId = s.ParentId,
                })
                .ToList(),
        };
    }

    public async Task<ListStackResourcesOutput> ListStackResourcesAsync(AwsRequestContext context, ListStackResourcesInput request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (deployed, stack) = await FindAsync(context, request.StackName, cancellationToken).ConfigureAwait(false);
        return new()
        {
            StackResourceSummaries = ResourcesOf(deployed, stack).Select(r => new StackResourceSummary
            {
                LogicalResourceId = r.LogicalId,
                PhysicalResourceId = r.PhysicalId,
                ResourceType = r.Type,
                LastUpdatedTimestamp = Time(r.UpdatedAt),
                ResourceStatus = "CREATE_COMPLETE",
            }).ToList(),
        };
    }

    public async Task<DescribeStackResourcesOutput> DescribeStackResourcesAsync(AwsRequestContext context,
        DescribeStackResourcesInput request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.StackName ?? throw new AwsErrorException("ValidationError",
            "DescribeStackResources needs a StackName: looking a stack up by a PhysicalResourceId alone is not supported.", status: 400);
        var (deployed, stack) = await FindAsync(context, name, cancellationToken).ConfigureAwait(false);
        return new()
        {
            StackResources = ResourcesOf(deployed, stack)
                .Where(r => (request.LogicalResourceId is null || r.LogicalId == request.LogicalResourceId)
                    && (request.PhysicalResourceId is null || r.PhysicalId == request.PhysicalResourceId))
                .Select(r => new StackResource
                {
                    StackName = stack.Name,
                    StackId = stack.Id,
                    LogicalResourceId = r.LogicalId,
                    PhysicalResourceId = r.PhysicalId,
                    ResourceType = r.Type,
                    Timestamp = Time(r.UpdatedAt),
                    ResourceStatus = "CREATE_COMPLETE",
                })
                .ToList(),
        };
    }

    public async Task<DescribeStackResourceOutput> DescribeStackResourceAsync(AwsRequestContext context, DescribeStackResourceInput request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (deployed, stack) = await FindAsync(context, request.StackName, cancellationToken).ConfigureAwait(false);
        var resource = ResourcesOf(deployed, stack).FirstOrDefault(r => r.LogicalId == request.LogicalResourceId)
            ?? throw new AwsErrorException("ValidationError",
                $"Resource {request.LogicalResourceId} does not exist for stack {request.StackName}", status: 400);
        return new()
        {
            StackResourceDetail = new StackResourceDetail
            {
                StackName = stack.Name,
                StackId = stack.Id,
                LogicalResourceId = resource.LogicalId,
                PhysicalResourceId = resource.PhysicalId,
                ResourceType = resource.Type,
                LastUpdatedTimestamp = Time(resource.UpdatedAt),
                ResourceStatus = "CREATE_COMPLETE",
                Metadata = "{}",
            },
        };
    }

    public async Task<GetTemplateOutput> GetTemplateAsync(AwsRequestContext context, GetTemplateInput request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = request.StackName ?? throw new AwsErrorException("ValidationError",
            "GetTemplate needs a StackName: change sets are not supported.", status: 400);
        var (deployed, stack) = await FindAsync(context, name, cancellationToken).ConfigureAwait(false);
        return new()
        {
            TemplateBody = Stacks.Template(stack, ResourcesOf(deployed, stack)),
            StagesAvailable = ["Original", "Processed"],
        };
    }

    private async Task<(DeployedEnvironment Deployed, StackInfo Stack)> FindAsync(AwsRequestContext context, string nameOrArn,
        CancellationToken cancellationToken) =>
        await deployments.FindStackAsync(Callers.PartitionOf(context), nameOrArn, cancellationToken).ConfigureAwait(false)
        ?? throw new AwsErrorException("ValidationError", $"Stack with id {nameOrArn} does not exist", status: 400);

    private async Task<List<StackInfo>> AllStacksAsync(AwsRequestContext context, CancellationToken cancellationToken)
    {
        var environments = await deployments.ListAsync(Callers.PartitionOf(context), cancellationToken).ConfigureAwait(false);
        return environments.SelectMany(d => Stacks.Nested(d).Select(n => n.Stack).Prepend(Stacks.Root(d))).ToList();
    }

    private static IReadOnlyList<StackResourceInfo> ResourcesOf(DeployedEnvironment deployed, StackInfo stack) =>
        stack.ParentId is null ? Stacks.RootResources(deployed) : [];

    private static Stack ToStack(StackInfo stack) => new()
    {
        StackId = stack.Id,
        StackName = stack.Name,
        Description = stack.Description,
        Parameters = [],
        CreationTime = Time(stack.CreatedAt),
        LastUpdatedTime = stack.UpdatedAt is { } updated ? Time(updated) : null,
        StackStatus = stack.Status,
        DisableRollback = false,
        NotificationARNs = [],
        Capabilities = ["CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
        Outputs = stack.Outputs.Select(o => new Output { OutputKey = o.Key, OutputValue = o.Value }).ToList(),
        Tags = [],
        EnableTerminationProtection = false,
        ParentId = stack.ParentId,
        RootId = stack.ParentId,
    };

    private static DateTimeOffset Time(long epochMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(epochMilliseconds);
}
