namespace Ampstack.Codegen;

/// <summary>A service whose typed surface is generated: its model and where the C# goes, relative to the repository.</summary>
public sealed record GeneratedService(string ModelPath, string OutputPath, ApiOptions Options);

/// <summary>The services the generator writes; the test that the checked-in files are current reads the same list.</summary>
public static class GeneratedServices
{
    public static GeneratedService AmplifyBackend { get; } = new(
        "spec/amplifybackend/2020-08-11/service-2.json",
        "src/Ampstack.AmplifyBackend/Api/AmplifyBackendApi.g.cs",
        new ApiOptions("Ampstack.AmplifyBackend.Api", "AmplifyBackend", ["BackendJobRespObj", "CreateTokenResponse"]));

    public static IReadOnlyList<GeneratedService> All { get; } = [AmplifyBackend];
}
