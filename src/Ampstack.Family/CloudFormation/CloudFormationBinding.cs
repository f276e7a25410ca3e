using Ampstack.Aws.Model;
using Ampstack.Aws.Pipeline;
using Ampstack.Family.CloudFormation.Api;

namespace Ampstack.Family.CloudFormation;

/// <summary>CloudFormation (query protocol) as the wire layer serves it: the read operations over the environments' stacks.</summary>
public static class CloudFormationBinding
{
    private static readonly Lazy<ServiceModel> Model = new(() => FamilyModels.Load("cloudformation"));

    public static ServiceModel Instance => Model.Value;

    public static ServiceBinding Bind(CloudFormationProvider provider) => new(
        Instance, CloudFormationJsonContext.Default, CloudFormationOperations.Handlers(provider), CloudFormationErrors.Translate,
        new Aws.Protocols.ServiceOptions { WireErrorCodes = Common.FamilyErrors.QueryAuthCodes });
}
