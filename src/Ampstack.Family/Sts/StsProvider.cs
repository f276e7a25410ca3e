using Ampstack.Aws.Pipeline;
using Ampstack.Family.Common;
using Ampstack.Family.Sts.Api;

namespace Ampstack.Family.Sts;

/// <summary>STS GetCallerIdentity: who the request's credential is (its account; the key as the user id).</summary>
public sealed class StsProvider : ISts
{
    public Task<GetCallerIdentityResponse> GetCallerIdentityAsync(AwsRequestContext context, GetCallerIdentityRequest request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.Caller;
        return Task.FromResult(new GetCallerIdentityResponse
        {
            UserId = caller.AccessKeyId,
            Account = caller.AccountId,
            Arn = $"arn:{Callers.PartitionOf(context).ArnPartition}:iam::{caller.AccountId}:root",
        });
    }
}
