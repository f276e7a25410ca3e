using Ampstack.Aws.Model;

namespace Ampstack.Family;

/// <summary>The family's service models, vendored under <c>spec/</c> and embedded in this assembly.</summary>
internal static class FamilyModels
{
    public static ServiceModel Load(string service)
    {
        using var stream = typeof(FamilyModels).Assembly.GetManifestResourceStream($"{service}.service-2.json")
            ?? throw new InvalidOperationException($"The embedded {service} model is missing.");
        return ServiceModel.Load(stream);
    }
}
