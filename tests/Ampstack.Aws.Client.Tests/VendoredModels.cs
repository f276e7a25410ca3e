using Ampstack.Aws.Model;

namespace Ampstack.Aws.Client.Tests;

/// <summary>The models under spec/, copied beside the tests by the build.</summary>
internal static class VendoredModels
{
    public static ServiceModel CognitoIdp { get; } = Load("spec/cognito-idp/2016-04-18/service-2.json");

    public static ServiceModel CognitoIdentity { get; } = Load("spec/cognito-identity/2014-06-30/service-2.json");

    public static ServiceModel AppSync { get; } = Load("spec/appsync/2017-07-25/service-2.json");

    public static ServiceModel Iam { get; } = Load("spec/iam/2010-05-08/service-2.json");

    public static ServiceModel Sts { get; } = Load("spec/sts/2011-06-15/service-2.json");

    private static ServiceModel Load(string repositoryPath)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, repositoryPath));
        return ServiceModel.Load(stream);
    }
}
