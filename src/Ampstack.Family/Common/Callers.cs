using Ampstack.Aws.Pipeline;
using Ampstack.Domain.Common;

namespace Ampstack.Family.Common;

/// <summary>Where a request of the family's services runs: its caller's partition.</summary>
internal static class Callers
{
    public static Partition PartitionOf(AwsRequestContext context) => new(context.Caller.AccountId, context.Caller.Region);
}
