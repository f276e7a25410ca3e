using Ampstack.Aws.Model;

namespace Ampstack.AmplifyBackend;

/// <summary>The AmplifyBackend 2020-08-11 service model, vendored under <c>spec/</c> and embedded in this assembly.</summary>
public static class AmplifyBackendModel
{
    private static readonly Lazy<ServiceModel> Model = new(() =>
    {
        using var stream = typeof(AmplifyBackendModel).Assembly.GetManifestResourceStream("amplifybackend.service-2.json")
            ?? throw new InvalidOperationException("The embedded AmplifyBackend model is missing.");
        return ServiceModel.Load(stream);
    });

    public static ServiceModel Instance => Model.Value;
}
