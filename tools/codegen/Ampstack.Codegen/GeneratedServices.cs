namespace Ampstack.Codegen;

/// <summary>A service whose typed surface is generated: its model and where the C# goes, relative to the repository.</summary>
public sealed record GeneratedService(string ModelPath, string OutputPath, ApiOptions Options);

/// <summary>Documents of a model the domain keeps (<see cref="DocumentWriter"/>): the model and where the C# goes.</summary>
public sealed record GeneratedDocuments(string ModelPath, string OutputPath, DocumentOptions Options);

/// <summary>The services the generator writes; the test that the checked-in files are current reads the same list.</summary>
public static class GeneratedServices
{
    public static GeneratedService AmplifyBackend { get; } = new(
        "spec/amplifybackend/2020-08-11/service-2.json",
        "src/Ampstack.AmplifyBackend/Api/AmplifyBackendApi.g.cs",
        new ApiOptions("Ampstack.AmplifyBackend.Api", "AmplifyBackend", ["BackendJobRespObj", "CreateTokenResponse"]));

    /// <summary>Amplify Hosting: the operations on apps, backend environments, branches and tags.</summary>
    public static GeneratedService Hosting { get; } = new(
        "spec/amplify/2017-07-25/service-2.json",
        "src/Ampstack.Family/Hosting/Api/HostingApi.g.cs",
        new ApiOptions("Ampstack.Family.Hosting.Api", "Hosting", [],
        [
            "CreateApp", "GetApp", "ListApps", "UpdateApp", "DeleteApp",
            "CreateBackendEnvironment", "GetBackendEnvironment", "ListBackendEnvironments", "DeleteBackendEnvironment",
            "CreateBranch", "GetBranch", "ListBranches", "UpdateBranch", "DeleteBranch",
            "TagResource", "UntagResource", "ListTagsForResource",
        ]));

    public static GeneratedService S3 { get; } = new(
        "spec/s3/2006-03-01/service-2.json",
        "src/Ampstack.Family/S3/Api/S3Api.g.cs",
        new ApiOptions("Ampstack.Family.S3.Api", "S3", []));

    public static GeneratedService CloudFormation { get; } = new(
        "spec/cloudformation/2010-05-15/service-2.json",
        "src/Ampstack.Family/CloudFormation/Api/CloudFormationApi.g.cs",
        new ApiOptions("Ampstack.Family.CloudFormation.Api", "CloudFormation", []));

    public static GeneratedService Sts { get; } = new(
        "spec/sts/2011-06-15/service-2.json",
        "src/Ampstack.Family/Sts/Api/StsApi.g.cs",
        new ApiOptions("Ampstack.Family.Sts.Api", "Sts", []));

    public static IReadOnlyList<GeneratedService> All { get; } = [AmplifyBackend, Hosting, S3, CloudFormation, Sts];

    /// <summary>
    /// The resource configurations and the Admin UI's login configuration as the domain stores and reads them: what
    /// CreateBackendAuth, UpdateBackendAuth, Create/UpdateBackendAPI, Create/UpdateBackendStorage and UpdateBackendConfig take.
    /// </summary>
    public static GeneratedDocuments Configurations { get; } = new(
        AmplifyBackend.ModelPath,
        "src/Ampstack.Domain/Resources/Configuration/ResourceConfigurations.g.cs",
        new DocumentOptions("Ampstack.Domain.Resources.Configuration", "ConfigurationJsonContext",
        [
            "CreateBackendAuthResourceConfig", "UpdateBackendAuthResourceConfig", "BackendAPIResourceConfig",
            "CreateBackendStorageResourceConfig", "UpdateBackendStorageResourceConfig", "LoginAuthConfigReqObj",
        ], "as the domain reads a stored configuration (every member optional)"));

    public static IReadOnlyList<GeneratedDocuments> AllDocuments { get; } = [Configurations];
}
