using System.Text.Json.Nodes;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Deployment;

/// <summary>
/// An auth resource's Amplify CLI files, made from its CreateBackendAuth configuration: the Cognito parameters the CLI's
/// auth category keeps (<c>build/parameters.json</c>, and <c>cli-inputs.json</c> around the same values) and the
/// <c>frontendAuthConfig</c> the frontend's sign-in settings come from.
/// </summary>
public static class AuthProject
{
    public static JsonObject Parameters(DeployedEnvironment deployed, ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(deployed);
        ArgumentNullException.ThrowIfNull(resource);
        var config = resource.Config;
        var pool = config["UserPoolConfigs"] as JsonObject ?? [];
        var name = resource.Name;
        var policy = pool["PasswordPolicy"] as JsonObject;
        var mfa = pool["Mfa"] as JsonObject;
        var verification = pool["VerificationMessage"] as JsonObject;
        var forgot = pool["ForgotPassword"] as JsonObject;
        var required = Strings(pool["RequiredSignUpAttributes"]).Select(AttributeName).ToList();
        var usernameAttributes = UsernameAttributes((string?)pool["SignInMethod"]);
        var oauth = pool["OAuth"] as JsonObject;
        var parameters = new JsonObject
        {
            ["identityPoolName"] = (string?)config["IdentityPoolConfigs"]?["IdentityPoolName"] ?? $"{name}_identitypool",
            ["allowUnauthenticatedIdentities"] = (bool?)config["IdentityPoolConfigs"]?["UnauthenticatedLogin"] ?? false,
            ["resourceNameTruncated"] = name[..Math.Min(name.Length, 8)],
            ["userPoolName"] = (string?)pool["UserPoolName"] ?? $"{name}_userpool",
            ["autoVerifiedAttributes"] = Array(VerifiedAttributes(verification)),
            ["mfaConfiguration"] = (string?)mfa?["MFAMode"] ?? "OFF",
            ["mfaTypes"] = Array(Strings(mfa?["Settings"]?["MfaTypes"]).Select(t => t == "TOTP" ? "TOTP" : "SMS Text Message")),
            ["smsAuthenticationMessage"] = (string?)mfa?["Settings"]?["SmsMessage"] ?? "Your authentication code is {####}",
            ["smsVerificationMessage"] = (string?)verification?["SmsSettings"]?["SmsMessage"] ?? "Your verification code is {####}",
            ["emailVerificationSubject"] = (string?)verification?["EmailSettings"]?["EmailSubject"] ?? "Your verification code",
            ["emailVerificationMessage"] = (string?)verification?["EmailSettings"]?["EmailMessage"] ?? "Your verification code is {####}",
            ["defaultPasswordPolicy"] = false,
            ["passwordPolicyMinLength"] = (int)((double?)policy?["MinimumLength"] ?? 8),
            ["passwordPolicyCharacters"] = Array(Strings(policy?["AdditionalConstraints"]).Select(PolicyCharacters)),
            ["requiredAttributes"] = Array(required),
            ["aliasAttributes"] = new JsonArray(),
            ["userpoolClientGenerateSecret"] = false,
            ["userpoolClientRefreshTokenValidity"] = 30,
            ["userpoolClientWriteAttributes"] = Array(required),
            ["userpoolClientReadAttributes"] = Array(required),
            ["userpoolClientLambdaRole"] = $"{name[..Math.Min(name.Length, 6)]}_userpoolclient_lambda_role",
            ["userpoolClientSetAttributes"] = false,
            ["sharedId"] = name[Math.Max(0, name.Length - 8)..],
            ["resourceName"] = name,
            ["authSelections"] = (string?)config["AuthResources"] == "USER_POOL_ONLY" ? "userPoolOnly" : "identityPoolAndUserPool",
            ["useDefault"] = "manual",
            ["usernameAttributes"] = Array(usernameAttributes),
            ["userPoolGroupList"] = new JsonArray(),
            ["serviceName"] = "Cognito",
            ["usernameCaseSensitive"] = false,
            ["useEnabledMfas"] = true,
            ["authRoleArn"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("AuthRole", "Arn") },
            ["unauthRoleArn"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray("UnauthRole", "Arn") },
            ["breakCircularDependency"] = true,
            ["dependsOn"] = new JsonArray(),
            ["thirdPartyAuth"] = false,
            ["userPoolGroups"] = false,
            ["adminQueries"] = false,
            ["triggers"] = "{}",
            ["hostedUI"] = oauth is not null,
            ["authProviders"] = new JsonArray(),
            ["parentStack"] = new JsonObject { ["Ref"] = "AWS::StackId" },
            ["permissions"] = new JsonArray(),
            ["authTriggerConnections"] = "[]",
        };
        if (forgot?["DeliveryMethod"] is not null)
        {
            parameters["forgotPasswordDeliveryMethod"] = (string?)forgot["DeliveryMethod"];
        }

        if (oauth is not null)
        {
            parameters["hostedUIDomainName"] = (string?)oauth["DomainPrefix"];
            parameters["oAuthMetadata"] = (string?)resource.Outputs["OAuthMetadata"];
        }

        return parameters;
    }

    /// <summary>cli-inputs.json: the same parameters under <c>cognitoConfig</c>, as the CLI's auth category writes them.</summary>
    public static JsonObject CliInputs(JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var cognito = new JsonObject();
        foreach (var (key, value) in parameters)
        {
            if (key is not ("parentStack" or "permissions" or "authTriggerConnections" or "triggers"))
            {
                cognito[key] = value?.DeepClone();
            }
        }

        cognito["triggers"] = new JsonObject();
        return new JsonObject { ["version"] = "1", ["cognitoConfig"] = cognito };
    }

    /// <summary>backend-config.json's <c>frontendAuthConfig</c>: what aws-exports' sign-in settings are made from.</summary>
    public static JsonObject FrontendConfig(ResourceRecord resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var pool = resource.Config["UserPoolConfigs"] as JsonObject ?? [];
        var policy = pool["PasswordPolicy"] as JsonObject;
        var mfa = pool["Mfa"] as JsonObject;
        var verification = pool["VerificationMessage"] as JsonObject;
        return new JsonObject
        {
            ["socialProviders"] = Array(SocialProviders(pool["OAuth"] as JsonObject)),
            ["usernameAttributes"] = Array(UsernameAttributes((string?)pool["SignInMethod"]).Select(a => a.ToUpperInvariant())),
            ["signupAttributes"] = Array(Strings(pool["RequiredSignUpAttributes"])),
            ["passwordProtectionSettings"] = new JsonObject
            {
                ["passwordPolicyMinLength"] = (int)((double?)policy?["MinimumLength"] ?? 8),
                ["passwordPolicyCharacters"] = Array(Strings(policy?["AdditionalConstraints"]).Select(c => c switch
                {
                    "REQUIRE_DIGIT" => "REQUIRES_NUMBERS",
                    "REQUIRE_LOWERCASE" => "REQUIRES_LOWERCASE",
                    "REQUIRE_SYMBOL" => "REQUIRES_SYMBOLS",
                    _ => "REQUIRES_UPPERCASE",
                })),
            },
            ["mfaConfiguration"] = (string?)mfa?["MFAMode"] ?? "OFF",
            ["mfaTypes"] = Array(Strings(mfa?["Settings"]?["MfaTypes"])),
            ["verificationMechanisms"] = Array(VerifiedAttributes(verification).Select(a => a.ToUpperInvariant())),
        };
    }

    private static IEnumerable<string> SocialProviders(JsonObject? oauth)
    {
        var settings = oauth?["SocialProviderSettings"] as JsonObject;
        return new[] { ("Facebook", "FACEBOOK"), ("Google", "GOOGLE"), ("LoginWithAmazon", "AMAZON"), ("SignInWithApple", "APPLE") }
            .Where(p => settings?[p.Item1] is not null)
            .Select(p => p.Item2);
    }

    private static IEnumerable<string> UsernameAttributes(string? signInMethod) => signInMethod switch
    {
        "EMAIL" => ["email"],
        "PHONE_NUMBER" => ["phone_number"],
        "EMAIL_AND_PHONE_NUMBER" => ["email", "phone_number"],
        _ => [],
    };

    private static IEnumerable<string> VerifiedAttributes(JsonObject? verification) =>
        (string?)verification?["DeliveryMethod"] == "SMS" ? ["phone_number"] : ["email"];

    private static string AttributeName(string attribute) => attribute switch
    {
        "ZONE_INFO" => "zoneinfo",
        _ => attribute.ToLowerInvariant(),
    };

    private static string PolicyCharacters(string constraint) => constraint switch
    {
        "REQUIRE_DIGIT" => "Requires Numbers",
        "REQUIRE_LOWERCASE" => "Requires Lowercase",
        "REQUIRE_SYMBOL" => "Requires Symbols",
        _ => "Requires Uppercase",
    };

    private static IEnumerable<string> Strings(JsonNode? list) =>
        (list as JsonArray ?? []).Select(n => (string?)n).Where(s => s is not null).Select(s => s!);

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
