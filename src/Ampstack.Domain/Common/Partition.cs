namespace Ampstack.Domain.Common;

/// <summary>The (account, region) every piece of state belongs to. Nothing crosses partitions.</summary>
/// <param name="AccountId">The 12-digit AWS account id.</param>
/// <param name="Region">The AWS region, e.g. <c>us-east-1</c>.</param>
public readonly record struct Partition(string AccountId, string Region)
{
    /// <summary>The ARN partition of the region (<c>aws</c>, <c>aws-cn</c>, <c>aws-us-gov</c>).</summary>
    public string ArnPartition => Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    public override string ToString() => $"{AccountId}/{Region}";
}
