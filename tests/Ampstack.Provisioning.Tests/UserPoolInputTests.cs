using System.Text.Json.Nodes;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Provisioning.Auth;

namespace Ampstack.Provisioning.Tests;

public sealed class UserPoolInputTests
{
    private static readonly Dictionary<string, string> Tags = new() { ["ampstack:job"] = "job-1" };

    private static CreateBackendAuthResourceConfig Config(string json) => Configurations.ReadAuth(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void The_whole_configuration_becomes_the_pools_settings()
    {
        var config = Config("""
            {"AuthResources":"USER_POOL_ONLY","Service":"COGNITO","UserPoolConfigs":{
              "ForgotPassword":{"DeliveryMethod":"SMS"},
              "Mfa":{"MFAMode":"ON","Settings":{"MfaTypes":["SMS"],"SmsMessage":"MFA {####}"}},
              "PasswordPolicy":{"AdditionalConstraints":["REQUIRE_DIGIT","REQUIRE_UPPERCASE"],"MinimumLength":12.0},
              "RequiredSignUpAttributes":["EMAIL","FAMILY_NAME","ZONE_INFO","UPDATED_AT"],
              "SignInMethod":"EMAIL_AND_PHONE_NUMBER","UserPoolName":"pool1",
              "VerificationMessage":{"DeliveryMethod":"EMAIL","EmailSettings":{"EmailMessage":"Code {####}","EmailSubject":"Hi"}}}}
            """);
        var input = UserPoolInput.Create(config, "pool1-dev", Tags);
        var expected = JsonNode.Parse("""
            {"PoolName":"pool1-dev","UsernameAttributes":["email","phone_number"],
             "Schema":[
               {"Name":"email","AttributeDataType":"String","Mutable":true,"Required":true},
               {"Name":"family_name","AttributeDataType":"String","Mutable":true,"Required":true},
               {"Name":"zoneinfo","AttributeDataType":"String","Mutable":true,"Required":true},
               {"Name":"updated_at","AttributeDataType":"Number","Mutable":true,"Required":true}],
             "Policies":{"PasswordPolicy":{"MinimumLength":12,"RequireUppercase":true,"RequireLowercase":false,
               "RequireNumbers":true,"RequireSymbols":false}},
             "MfaConfiguration":"ON","SmsAuthenticationMessage":"MFA {####}",
             "AutoVerifiedAttributes":["email"],
             "VerificationMessageTemplate":{"DefaultEmailOption":"CONFIRM_WITH_CODE","EmailMessage":"Code {####}","EmailSubject":"Hi"},
             "AccountRecoverySetting":{"RecoveryMechanisms":[{"Priority":1,"Name":"verified_phone_number"}]},
             "UserPoolTags":{"ampstack:job":"job-1"}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, input), input.ToJsonString());
    }

    [Fact]
    public void A_minimal_configuration_gets_cognitos_defaults_and_a_user_name_sign_in()
    {
        var input = UserPoolInput.Create(Config("""{"UserPoolConfigs":{"SignInMethod":"USERNAME","UserPoolName":"p"}}"""), "p-dev", Tags);
        Assert.Null(input["UsernameAttributes"]);
        Assert.Null(input["Schema"]);
        Assert.Null(input["AutoVerifiedAttributes"]);
        Assert.Equal(8, (int)input["Policies"]!["PasswordPolicy"]!["MinimumLength"]!);
        Assert.Equal("OFF", (string?)input["MfaConfiguration"]);
    }

    [Fact]
    public void An_update_sends_the_whole_policy_and_never_the_settings_a_pool_cannot_change()
    {
        var input = UserPoolInput.Update(Config("""
            {"UserPoolConfigs":{"PasswordPolicy":{"MinimumLength":14.0},"SignInMethod":"EMAIL","RequiredSignUpAttributes":["EMAIL"]}}
            """), "us-east-1_abc", Tags);
        Assert.Equal("us-east-1_abc", (string?)input["UserPoolId"]);
        Assert.Null(input["PoolName"]);
        Assert.Null(input["UsernameAttributes"]);
        Assert.Null(input["Schema"]);
        var policy = input["Policies"]!["PasswordPolicy"]!.AsObject();
        Assert.Equal(["MinimumLength", "RequireUppercase", "RequireLowercase", "RequireNumbers", "RequireSymbols"],
            policy.Select(p => p.Key));
        Assert.Equal(14, (int)policy["MinimumLength"]!);
    }

    [Theory]
    [InlineData(SignInMethod.Email, null, "email")]
    [InlineData(SignInMethod.PhoneNumber, null, "phone_number")]
    [InlineData(SignInMethod.Username, DeliveryMethod.Sms, "phone_number")]
    [InlineData(SignInMethod.Email, DeliveryMethod.Sms, "phone_number")]
    [InlineData(SignInMethod.Username, null, "")]
    public void What_cognito_verifies_follows_the_verification_delivery_else_the_sign_in(string signIn, string? delivery,
        string expected) =>
        Assert.Equal(expected, string.Join(",", UserPoolInput.AutoVerified(signIn, delivery)));
}
