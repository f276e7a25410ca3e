using System.Text.Json.Nodes;
using Ampstack.Domain.Common;

namespace Ampstack.Domain.Resources;

/// <summary>
/// The deployment outputs an environment or resource would have after <c>amplify push</c>, with AWS-shaped emulated
/// identifiers. Key names are those of amplify-meta.json, which downstream tools index by name.
/// </summary>
public static class EmulatedOutputs
{
    /// <summary>The root stack's outputs (<c>providers.awscloudformation</c>).</summary>
    public static JsonObject RootStack(Partition partition, string appId, string environment)
    {
        var stackName = $"amplify-{appId}-{environment}-{EmulatedIds.Digits(6)}";
        var iam = $"arn:{partition.ArnPartition}:iam::{partition.AccountId}:role/";
        return new JsonObject
        {
            ["AuthRoleName"] = $"{stackName}-authRole",
            ["UnauthRoleArn"] = $"{iam}{stackName}-unauthRole",
            ["AuthRoleArn"] = $"{iam}{stackName}-authRole",
            ["Region"] = partition.Region,
            ["DeploymentBucketName"] = $"{stackName}-deployment",
            ["UnauthRoleName"] = $"{stackName}-unauthRole",
            ["StackName"] = stackName,
            ["StackId"] =
                $"arn:{partition.ArnPartition}:cloudformation:{partition.Region}:{partition.AccountId}:stack/{stackName}/{Guid.NewGuid()}",
            ["AmplifyAppId"] = appId,
        };
    }

    /// <summary>
    /// Outputs of a Cognito auth resource made from a CreateBackendAuth configuration. Given the
    /// <paramref name="previous"/> outputs (after an update), identifiers already handed out stay the same.
    /// </summary>
    public static JsonObject Auth(Partition partition, string environment, JsonObject config, JsonObject? previous = null)
    {
        string Keep(string key, Func<string> make) => (string?)previous?[key] ?? make();
        var userPool = config["UserPoolConfigs"] as JsonObject;
        var poolId = Keep("UserPoolId", () => EmulatedIds.UserPoolId(partition.Region));
        var poolName = $"{(string?)userPool?["UserPoolName"]}-{environment}";
        var outputs = new JsonObject
        {
            ["UserPoolId"] = poolId,
            ["UserPoolArn"] = $"arn:{partition.ArnPartition}:cognito-idp:{partition.Region}:{partition.AccountId}:userpool/{poolId}",
            ["UserPoolName"] = poolName,
            ["AppClientID"] = Keep("AppClientID", EmulatedIds.AppClientId),
            ["AppClientIDWeb"] = Keep("AppClientIDWeb", EmulatedIds.AppClientId),
        };
        if ((string?)config["AuthResources"] == "IDENTITY_POOL_AND_USER_POOL")
        {
            outputs["IdentityPoolId"] = Keep("IdentityPoolId", () => EmulatedIds.IdentityPoolId(partition.Region));
            outputs["IdentityPoolName"] = $"{(string?)config["IdentityPoolConfigs"]?["IdentityPoolName"]}__{environment}";
        }

        if (userPool?["OAuth"] is JsonObject oauth)
        {
            if ((string?)oauth["DomainPrefix"] is { Length: > 0 } prefix)
            {
                outputs["HostedUIDomain"] = $"{prefix}-{environment}";
            }

            outputs["OAuthMetadata"] = new JsonObject
            {
                ["AllowedOAuthFlows"] = new JsonArray(((string?)oauth["OAuthGrantType"] == "IMPLICIT" ? "implicit" : "code")),
                ["AllowedOAuthScopes"] = new JsonArray((oauth["OAuthScopes"] as JsonArray ?? [])
                    .Select(s => (JsonNode?)JsonValue.Create(ScopeName((string?)s))).ToArray()),
                ["CallbackURLs"] = oauth["RedirectSignInURIs"]?.DeepClone() ?? new JsonArray(),
                ["LogoutURLs"] = oauth["RedirectSignOutURIs"]?.DeepClone() ?? new JsonArray(),
            }.ToJsonString();
        }

        return outputs;
    }

    /// <summary>Outputs of an imported Cognito auth resource: the ids the client gave.</summary>
    public static JsonObject ImportedAuth(Partition partition, string userPoolId, string webClientId, string nativeClientId,
        string? identityPoolId)
    {
        var outputs = new JsonObject
        {
            ["UserPoolId"] = userPoolId,
            ["UserPoolArn"] = $"arn:{partition.ArnPartition}:cognito-idp:{partition.Region}:{partition.AccountId}:userpool/{userPoolId}",
            ["UserPoolName"] = userPoolId,
            ["AppClientID"] = nativeClientId,
            ["AppClientIDWeb"] = webClientId,
        };
        if (identityPoolId is not null)
        {
            outputs["IdentityPoolId"] = identityPoolId;
        }

        return outputs;
    }

    /// <summary>Outputs of an AppSync GraphQL API; identifiers in <paramref name="previous"/> outputs are kept.</summary>
    public static JsonObject Api(Partition partition, JsonObject config, JsonObject? previous = null)
    {
        var apiId = (string?)previous?["GraphQLAPIIdOutput"] ?? EmulatedIds.AppSyncApiId();
        var defaultMode = (string?)config["DefaultAuthType"]?["Mode"] ?? "API_KEY";
        var additional = (config["AdditionalAuthTypes"] as JsonArray ?? [])
            .Select(a => (string?)a?["Mode"]).Where(m => m is not null).ToList();
        var outputs = new JsonObject
        {
            ["authConfig"] = new JsonObject
            {
                ["defaultAuthentication"] = new JsonObject { ["authenticationType"] = defaultMode },
                ["additionalAuthenticationProviders"] = new JsonArray(additional
                    .Select(m => (JsonNode?)new JsonObject { ["authenticationType"] = m }).ToArray()),
            },
            ["GraphQLAPIIdOutput"] = apiId,
            ["GraphQLAPIEndpointOutput"] = $"https://{apiId}.appsync-api.{partition.Region}.amazonaws.com/graphql",
        };
        if (defaultMode == "API_KEY" || additional.Contains("API_KEY"))
        {
            outputs["GraphQLAPIKeyOutput"] = (string?)previous?["GraphQLAPIKeyOutput"] ?? EmulatedIds.AppSyncApiKey();
        }

        return outputs;
    }

    /// <summary>Outputs of an S3 storage resource.</summary>
    public static JsonObject Storage(Partition partition, string bucketName) => new()
    {
        ["BucketName"] = bucketName,
        ["Region"] = partition.Region,
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
        "AWS_COGNITO_SIGNIN_USER_ADMIN" => "aws.cognito.signin.user.admin",
        _ => scope?.ToLowerInvariant() ?? "",
    };
}
