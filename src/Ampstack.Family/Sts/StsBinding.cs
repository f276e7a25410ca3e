using Ampstack.Aws.Pipeline;
using Ampstack.Family.Sts.Api;

namespace Ampstack.Family.Sts;

/// <summary>STS (query protocol) as the wire layer serves it.</summary>
public static class StsBinding
{
    private static readonly Lazy<Aws.Model.ServiceModel> Model = new(() => FamilyModels.Load("sts"));

    public static Aws.Model.ServiceModel Instance => Model.Value;

    public static ServiceBinding Bind(StsProvider provider) => new(Instance, StsJsonContext.Default, StsOperations.Handlers(provider),
        _ => null, new Aws.Protocols.ServiceOptions { WireErrorCodes = Common.FamilyErrors.QueryAuthCodes });
}
