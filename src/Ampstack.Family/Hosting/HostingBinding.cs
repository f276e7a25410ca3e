using Ampstack.Aws.Model;
using Ampstack.Aws.Pipeline;
using Ampstack.Aws.Protocols;
using Ampstack.Family.Hosting.Api;

namespace Ampstack.Family.Hosting;

/// <summary>Amplify Hosting as the wire layer serves it: the model, the provider's typed operations, the error table.</summary>
public static class HostingBinding
{
    private static readonly Lazy<ServiceModel> Model = new(() => FamilyModels.Load("amplify"));

    public static ServiceModel Instance => Model.Value;

    public static ServiceBinding Bind(HostingProvider provider) => new(
        Instance,
        HostingJsonContext.Default,
        HostingOperations.Handlers(provider),
        HostingErrors.Translate,
        new ServiceOptions
        {
            Unsupported = HostingErrors.Unsupported,
            BadRequest = HostingErrors.BadRequest,
            NoRoute = HostingErrors.NoRoute,
        });
}
