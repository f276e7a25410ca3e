using Ampstack.Domain.Common;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Domain.Resources;

/// <summary>
/// The deployment outputs an environment or resource would have after <c>amplify push</c>, with AWS-shaped emulated
/// identifiers, as the typed outputs of <see cref="Outputs"/> (named as amplify-meta.json names them, which downstream
/// tools index by name).
/// </summary>
public static class EmulatedOutputs
{
    /// <summary>The root stack's outputs (<c>providers.awscloudformation</c>).</summary>
    public static RootStackOutputs RootStack(Partition partition, string appId, string environment)
    {
        var stackName = $"amplify-{appId}-{environment}-{EmulatedIds.Digits(6)}";
        var iam = $"arn:{partition.ArnPartition}:iam::{partition.AccountId}:role/";
        return new RootStackOutputs
        {
            AuthRoleName = $"{stackName}-authRole",
            UnauthRoleArn = $"{iam}{stackName}-unauthRole",
            AuthRoleArn = $"{iam}{stackName}-authRole",
            Region = partition.Region,
            DeploymentBucketName = $"{stackName}-deployment",
            UnauthRoleName = $"{stackName}-unauthRole",
            StackName = stackName,
            StackId =
                $"arn:{partition.ArnPartition}:cloudformation:{partition.Region}:{partition.AccountId}:stack/{stackName}/{Guid.NewGuid()}",
            AmplifyAppId = appId,
        };
    }

    /// <summary>
    /// Outputs of a Cognito auth resource made from a CreateBackendAuth configuration. Given the
    /// <paramref name="previous"/> outputs (after an update), identifiers already handed out stay the same.
    /// </summary>
    public static AuthOutputs Auth(Partition partition, string environment, CreateBackendAuthResourceConfig config,
        AuthOutputs? previous = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var userPool = config.UserPoolConfigs;
        var poolId = previous?.UserPoolId ?? EmulatedIds.UserPoolId(partition.Region);
        var identityPool = config.AuthResources == AuthResources.IdentityPoolAndUserPool;
        var oauth = userPool?.OAuth;
        return new AuthOutputs
        {
            UserPoolId = poolId,
            UserPoolArn = $"arn:{partition.ArnPartition}:cognito-idp:{partition.Region}:{partition.AccountId}:userpool/{poolId}",
            UserPoolName = $"{userPool?.UserPoolName}-{environment}",
            AppClientID = previous?.AppClientID ?? EmulatedIds.AppClientId(),
            AppClientIDWeb = previous?.AppClientIDWeb ?? EmulatedIds.AppClientId(),
            IdentityPoolId = identityPool ? previous?.IdentityPoolId ?? EmulatedIds.IdentityPoolId(partition.Region) : null,
            IdentityPoolName = identityPool ? $"{config.IdentityPoolConfigs?.IdentityPoolName}__{environment}" : null,
            HostedUIDomain = oauth?.DomainPrefix is { Length: > 0 } prefix ? $"{prefix}-{environment}" : null,
            OAuthMetadata = oauth is null ? null : new OAuthMetadata
            {
                AllowedOAuthFlows = [oauth.OAuthGrantType == OAuthGrantType.Implicit ? "implicit" : "code"],
                AllowedOAuthScopes = (oauth.OAuthScopes ?? []).Select(ScopeName).ToList(),
                CallbackURLs = oauth.RedirectSignInURIs ?? [],
                LogoutURLs = oauth.RedirectSignOutURIs ?? [],
            }.ToJsonText(),
        };
    }

    /// <summary>Outputs of an imported Cognito auth resource: the ids the client gave.</summary>
    public static AuthOutputs ImportedAuth(Partition partition, string userPoolId, string webClientId, string nativeClientId,
        string? identityPoolId) => new()
        {
            UserPoolId = userPoolId,
            UserPoolArn = $"arn:{partition.ArnPartition}:cognito-idp:{partition.Region}:{partition.AccountId}:userpool/{userPoolId}",
            UserPoolName = userPoolId,
            AppClientID = nativeClientId,
            AppClientIDWeb = webClientId,
            IdentityPoolId = identityPoolId,
        };

    /// <summary>Outputs of an AppSync GraphQL API; identifiers in <paramref name="previous"/> outputs are kept.</summary>
    public static ApiOutputs Api(Partition partition, BackendAPIResourceConfig config, ApiOutputs? previous = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var apiId = previous?.GraphQLAPIIdOutput ?? EmulatedIds.AppSyncApiId();
        var defaultMode = config.DefaultAuthType?.Mode ?? Mode.ApiKey;
        var additional = (config.AdditionalAuthTypes ?? []).Select(a => a?.Mode).OfType<string>().ToList();
        var apiKey = defaultMode == Mode.ApiKey || additional.Contains(Mode.ApiKey);
        return new ApiOutputs
        {
            AuthConfig = new ApiAuthConfig
            {
                DefaultAuthentication = new ApiAuthProvider { AuthenticationType = defaultMode },
                AdditionalAuthenticationProviders = additional.Select(m => new ApiAuthProvider { AuthenticationType = m }).ToList(),
            },
            GraphQLAPIIdOutput = apiId,
            GraphQLAPIEndpointOutput = $"https://{apiId}.appsync-api.{partition.Region}.amazonaws.com/graphql",
            GraphQLAPIKeyOutput = apiKey ? previous?.GraphQLAPIKeyOutput ?? EmulatedIds.AppSyncApiKey() : null,
        };
    }

    /// <summary>Outputs of an S3 storage resource.</summary>
    public static StorageOutputs Storage(Partition partition, string bucketName) => new()
    {
        BucketName = bucketName,
        Region = partition.Region,
    };

    /// <summary>A bucket name as Amplify makes one: the resource name, random digits, the environment.</summary>
    public static string BucketName(string resourceName, string environment)
    {
        var stem = new string(resourceName.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        var env = new string(environment.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        var suffix = EmulatedIds.Digits(6) + (env.Length > 0 ? "-" + env : "");
        var head = stem.Length == 0 ? "amplifystorage" : stem;
        return head[..Math.Min(head.Length, 63 - suffix.Length)] + suffix;
    }

    private static string ScopeName(string? scope) => scope switch
    {
        OAuthScopesElement.AwsCognitoSigninUserAdmin => "aws.cognito.signin.user.admin",
        _ => scope?.ToLowerInvariant() ?? "",
    };
}
