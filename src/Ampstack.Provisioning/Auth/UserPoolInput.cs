using System.Text.Json.Nodes;
using Ampstack.Domain.Resources.Configuration;

namespace Ampstack.Provisioning.Auth;

/// <summary>
/// An auth resource's configuration as the inputs of Cognito's user pool operations (member names of the cognito-idp
/// model, checked against it by the client before anything is sent): pure, so it is tested apart.
/// </summary>
public static class UserPoolInput
{
    /// <summary>CreateUserPool's input: the pool's whole configuration, its name and its tags.</summary>
    public static JsonObject Create(CreateBackendAuthResourceConfig config, string poolName, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tags);
        var pool = config.UserPoolConfigs;
        var input = new JsonObject { ["PoolName"] = poolName };
        if (UsernameAttributes(pool?.SignInMethod) is { Count: > 0 } usernames)
        {
            input["UsernameAttributes"] = new JsonArray([.. usernames.Select(a => JsonValue.Create(a))]);
        }

        var required = (pool?.RequiredSignUpAttributes ?? []).Select(AttributeName).OfType<string>().Distinct().ToList();
        if (required.Count > 0)
        {
            input["Schema"] = new JsonArray([.. required.Select(name => (JsonNode)new JsonObject
            {
                ["Name"] = name,
                ["AttributeDataType"] = name == "updated_at" ? "Number" : "String",
                ["Mutable"] = true,
                ["Required"] = true,
            })]);
        }

        Settings(config, input);
        input["UserPoolTags"] = new JsonObject([.. tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]);
        return input;
    }

    /// <summary>
    /// UpdateUserPool's input: every setting an update can change, whole (Cognito replaces what UpdateUserPool is given,
    /// and resets what it is not given, so the full policy is always sent).
    /// </summary>
    public static JsonObject Update(CreateBackendAuthResourceConfig config, string poolId, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tags);
        var input = new JsonObject { ["UserPoolId"] = poolId };
        Settings(config, input);
        input["UserPoolTags"] = new JsonObject([.. tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]);
        return input;
    }

    /// <summary>What both take: password policy, MFA, verification, account recovery.</summary>
    private static void Settings(CreateBackendAuthResourceConfig config, JsonObject input)
    {
        var pool = config.UserPoolConfigs;
        var policy = pool?.PasswordPolicy;
        var constraints = policy?.AdditionalConstraints ?? [];
        input["Policies"] = new JsonObject
        {
            ["PasswordPolicy"] = new JsonObject
            {
                ["MinimumLength"] = (int)(policy?.MinimumLength ?? 8),
                ["RequireUppercase"] = constraints.Contains(AdditionalConstraintsElement.RequireUppercase),
                ["RequireLowercase"] = constraints.Contains(AdditionalConstraintsElement.RequireLowercase),
                ["RequireNumbers"] = constraints.Contains(AdditionalConstraintsElement.RequireDigit),
                ["RequireSymbols"] = constraints.Contains(AdditionalConstraintsElement.RequireSymbol),
            },
        };

        var mfa = pool?.Mfa;
        input["MfaConfiguration"] = mfa?.MFAMode ?? MFAMode.Off;
        if (mfa?.MFAMode is MFAMode.On or MFAMode.Optional && mfa.Settings?.SmsMessage is { Length: > 0 } smsMfa)
        {
            input["SmsAuthenticationMessage"] = smsMfa;
        }

        var verification = pool?.VerificationMessage;
        var verified = AutoVerified(pool?.SignInMethod, verification?.DeliveryMethod);
        if (verified.Count > 0)
        {
            input["AutoVerifiedAttributes"] = new JsonArray([.. verified.Select(a => JsonValue.Create(a))]);
        }

        if (verification is not null)
        {
            var template = new JsonObject { ["DefaultEmailOption"] = "CONFIRM_WITH_CODE" };
            if (verification.EmailSettings?.EmailMessage is { Length: > 0 } message)
            {
                template["EmailMessage"] = message;
            }

            if (verification.EmailSettings?.EmailSubject is { Length: > 0 } subject)
            {
                template["EmailSubject"] = subject;
            }

            if (verification.SmsSettings?.SmsMessage is { Length: > 0 } sms)
            {
                template["SmsMessage"] = sms;
            }

            input["VerificationMessageTemplate"] = template;
        }

        if (pool?.ForgotPassword?.DeliveryMethod is { } recovery)
        {
            input["AccountRecoverySetting"] = new JsonObject
            {
                ["RecoveryMechanisms"] = new JsonArray(new JsonObject
                {
                    ["Priority"] = 1,
                    ["Name"] = recovery == DeliveryMethod.Sms ? "verified_phone_number" : "verified_email",
                }),
            };
        }
    }

    /// <summary>The sign-in method as Cognito's username attributes (a user signs in with them instead of a user name).</summary>
    public static IReadOnlyList<string> UsernameAttributes(string? signInMethod) => signInMethod switch
    {
        SignInMethod.Email => ["email"],
        SignInMethod.PhoneNumber => ["phone_number"],
        SignInMethod.EmailAndPhoneNumber => ["email", "phone_number"],
        _ => [],
    };

    /// <summary>What Cognito verifies by itself: where verification messages go, else what users sign in with.</summary>
    public static IReadOnlyList<string> AutoVerified(string? signInMethod, string? verificationDelivery) => verificationDelivery switch
    {
        DeliveryMethod.Email => ["email"],
        DeliveryMethod.Sms => ["phone_number"],
        _ => signInMethod switch
        {
            SignInMethod.Email => ["email"],
            SignInMethod.PhoneNumber => ["phone_number"],
            SignInMethod.EmailAndPhoneNumber => ["email", "phone_number"],
            _ => [],
        },
    };

    /// <summary>A required sign-up attribute (<c>FAMILY_NAME</c>) as Cognito's standard attribute (<c>family_name</c>).</summary>
    public static string? AttributeName(string? attribute) => attribute switch
    {
        null => null,
        RequiredSignUpAttributesElement.ZoneInfo => "zoneinfo",
        _ => attribute.ToLowerInvariant(),
    };
}
