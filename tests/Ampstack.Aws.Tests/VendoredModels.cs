using Ampstack.Aws.Model;

namespace Ampstack.Aws.Tests;

/// <summary>The models under spec/, copied beside the tests by the build.</summary>
internal static class VendoredModels
{
    /// <summary>A model by its path in the repository (<c>spec/s3/2006-03-01/service-2.json</c>).</summary>
    public static ServiceModel Load(string repositoryPath)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, repositoryPath));
        return ServiceModel.Load(stream);
    }

    public static ServiceModel S3 { get; } = Load("spec/s3/2006-03-01/service-2.json");

    public static ServiceModel CloudFormation { get; } = Load("spec/cloudformation/2010-05-15/service-2.json");

    public static ServiceModel Sts { get; } = Load("spec/sts/2011-06-15/service-2.json");

    public static ServiceModel Amplify { get; } = Load("spec/amplify/2017-07-25/service-2.json");

    /// <summary>A json 1.1 model (vendored for the provisioning client).</summary>
    public static ServiceModel CognitoIdp { get; } = Load("spec/cognito-idp/2016-04-18/service-2.json");
}
