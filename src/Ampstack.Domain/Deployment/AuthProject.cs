using System.Text.Json.Nodes;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Resources.Configuration;

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
        var config = resource.ReadAuthConfig();
        var pool = config.UserPoolConfigs ?? new CreateBackendAuthUserPoolConfig();
        var name = resource.Name;
        var policy = pool.PasswordPolicy;
        var mfa = pool.Mfa;
        var verification = pool.VerificationMessage;
        var required = Strings(pool.RequiredSignUpAttributes).Select(AttributeName).ToList();
        var usernameAttributes = UsernameAttributes(pool.SignInMethod);
        var oauth = pool.OAuth;
        var parameters = new JsonObject
        {
            ["identityPoolName"] = config.IdentityPoolConfigs?.IdentityPoolName ?? $"{name}_identitypool",
            ["allowUnauthenticatedIdentities"] = config.IdentityPoolConfigs?.UnauthenticatedLogin ?? false,
            ["resourceNameTruncated"] = name[..Math.Min(name.Length, 8)],
            ["userPoolName"] = pool.UserPoolName ?? $"{name}_userpool",
            ["autoVerifiedAttributes"] = Array(VerifiedAttributes(verification)),
            ["mfaConfiguration"] = mfa?.MFAMode ?? MFAMode.Off,
            ["mfaTypes"] = Array(Strings(mfa?.Settings?.MfaTypes).Select(t => t == MfaTypesElement.Totp ? "TOTP" : "SMS Text Message")),
            ["smsAuthenticationMessage"] = mfa?.Settings?.SmsMessage ?? "Your authentication code is {####}",
            ["smsVerificationMessage"] = verification?.SmsSettings?.SmsMessage ?? "Your verification code is {####}",
            ["emailVerificationSubject"] = verification?.EmailSettings?.EmailSubject ?? "Your verification code",
            ["emailVerificationMessage"] = verification?.EmailSettings?.EmailMessage ?? "Your verification code is {####}",
            ["defaultPasswordPolicy"] = false,
            ["passwordPolicyMinLength"] = (int)(policy?.MinimumLength ?? 8),
            ["passwordPolicyCharacters"] = Array(Strings(policy?.AdditionalConstraints).Select(PolicyCharacters)),
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
            ["authSelections"] = config.AuthResources == AuthResources.UserPoolOnly ? "userPoolOnly" : "identityPoolAndUserPool",
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
        if (pool.ForgotPassword?.DeliveryMethod is { } delivery)
        {
            parameters["forgotPasswordDeliveryMethod"] = delivery;
        }

        if (oauth is not null)
        {
            parameters["hostedUIDomainName"] = oauth.DomainPrefix;
            parameters["oAuthMetadata"] = resource.ReadAuthOutputs().OAuthMetadata;
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
        var pool = resource.ReadAuthConfig().UserPoolConfigs ?? new CreateBackendAuthUserPoolConfig();
        var policy = pool.PasswordPolicy;
        var mfa = pool.Mfa;
        return new JsonObject
        {
            ["socialProviders"] = Array(SocialProviders(pool.OAuth?.SocialProviderSettings)),
            ["usernameAttributes"] = Array(UsernameAttributes(pool.SignInMethod).Select(a => a.ToUpperInvariant())),
            ["signupAttributes"] = Array(Strings(pool.RequiredSignUpAttributes)),
            ["passwordProtectionSettings"] = new JsonObject
            {
                ["passwordPolicyMinLength"] = (int)(policy?.MinimumLength ?? 8),
                ["passwordPolicyCharacters"] = Array(Strings(policy?.AdditionalConstraints).Select(c => c switch
                {
                    AdditionalConstraintsElement.RequireDigit => "REQUIRES_NUMBERS",
                    AdditionalConstraintsElement.RequireLowercase => "REQUIRES_LOWERCASE",
                    AdditionalConstraintsElement.RequireSymbol => "REQUIRES_SYMBOLS",
                    _ => "REQUIRES_UPPERCASE",
                })),
            },
            ["mfaConfiguration"] = mfa?.MFAMode ?? MFAMode.Off,
            ["mfaTypes"] = Array(Strings(mfa?.Settings?.MfaTypes)),
            ["verificationMechanisms"] = Array(VerifiedAttributes(pool.VerificationMessage).Select(a => a.ToUpperInvariant())),
        };
    }

    private static IEnumerable<string> SocialProviders(SocialProviderSettings? settings)
    {
        if (settings?.Facebook is not null)
        {
            yield return "FACEBOOK";
        }

        if (settings?.Google is not null)
        {
            yield return "GOOGLE";
        }

        if (settings?.LoginWithAmazon is not null)
        {
            yield return "AMAZON";
        }

        if (settings?.SignInWithApple is not null)
        {
            yield return "APPLE";
        }
    }

    private static IEnumerable<string> UsernameAttributes(string? signInMethod) => signInMethod switch
    {
        SignInMethod.Email => ["email"],
        SignInMethod.PhoneNumber => ["phone_number"],
        SignInMethod.EmailAndPhoneNumber => ["email", "phone_number"],
        _ => [],
    };

    private static IEnumerable<string> VerifiedAttributes(CreateBackendAuthVerificationMessageConfig? verification) =>
        verification?.DeliveryMethod == DeliveryMethod.Sms ? ["phone_number"] : ["email"];

    private static string AttributeName(string attribute) => attribute switch
    {
        RequiredSignUpAttributesElement.ZoneInfo => "zoneinfo",
        _ => attribute.ToLowerInvariant(),
    };

    private static string PolicyCharacters(string constraint) => constraint switch
    {
        AdditionalConstraintsElement.RequireDigit => "Requires Numbers",
        AdditionalConstraintsElement.RequireLowercase => "Requires Lowercase",
        AdditionalConstraintsElement.RequireSymbol => "Requires Symbols",
        _ => "Requires Uppercase",
    };

    /// <summary>A list member's values; a stored list may hold nulls the model does not allow (a snapshot's).</summary>
    private static IEnumerable<string> Strings(IReadOnlyList<string?>? list) => (list ?? []).OfType<string>();

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
