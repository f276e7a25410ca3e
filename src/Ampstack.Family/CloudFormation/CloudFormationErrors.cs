using Ampstack.Aws.Errors;
using Ampstack.Domain.Storage;
using Ampstack.Family.Common;

namespace Ampstack.Family.CloudFormation;

/// <summary>CloudFormation's errors for the domain's and the store's refusals.</summary>
internal static class CloudFormationErrors
{
    public static AwsErrorException? Translate(Exception exception) => exception switch
    {
        Domain.Common.DomainException domain => new AwsErrorException("ValidationError", domain.Message, status: 400),
        StoreUnavailableException store => FamilyErrors.Unavailable(store),
        _ => null,
    };
}
