using System.Text.Json.Nodes;
using Ampstack.Domain.Apps;
using Ampstack.Domain.Common;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Resources.Outputs;
using Ampstack.Domain.State;
using Ampstack.Domain.Storage;
using static Ampstack.Domain.Tests.DomainFixture;

namespace Ampstack.Domain.Tests;

/// <summary>
/// The typed configurations and outputs keep the stored documents as they were: configurations read by the model's member
/// names, outputs written under amplify-meta's names in the order downstream tools and earlier versions have them.
/// </summary>
public class OutputsTests
{
    private static JsonObject Json(string text) => (JsonObject)JsonNode.Parse(text)!;

    [Fact]
    public void Root_stack_outputs_are_stored_in_amplify_metas_order()
    {
        var document = EmulatedOutputs.RootStack(P, "app", "dev").ToDocument();
        Assert.Equal(
            ["AuthRoleName", "UnauthRoleArn", "AuthRoleArn", "Region", "DeploymentBucketName", "UnauthRoleName", "StackName", "StackId",
                "AmplifyAppId"],
            document.Select(m => m.Key));
        Assert.Equal(document.Select(m => m.Key).SkipLast(1), RootStackOutputs.From(document).StackOutputs().Select(o => o.Key));
    }

    [Fact]
    public void Auth_outputs_keep_the_identifiers_handed_out_and_their_names_and_order()
    {
        var config = Configurations.ReadAuth(Json("""
            {"AuthResources":"IDENTITY_POOL_AND_USER_POOL","IdentityPoolConfigs":{"IdentityPoolName":"ids","UnauthenticatedLogin":false},
             "Service":"COGNITO","UserPoolConfigs":{"OAuth":{"DomainPrefix":"sign","OAuthGrantType":"CODE",
             "OAuthScopes":["EMAIL","AWS_COGNITO_SIGNIN_USER_ADMIN"],"RedirectSignInURIs":["https://in/?a=1&b=2"],
             "RedirectSignOutURIs":["https://out/"]},"RequiredSignUpAttributes":[],"SignInMethod":"EMAIL","UserPoolName":"pool",
             "Unknown":"ignored"}}
            """));
        var previous = new AuthOutputs { UserPoolId = "us-east-1_kept", AppClientID = "native", AppClientIDWeb = "web" };
        var document = EmulatedOutputs.Auth(P, "dev", config, previous).ToDocument();
        Assert.Equal(
            ["UserPoolId", "UserPoolArn", "UserPoolName", "AppClientID", "AppClientIDWeb", "IdentityPoolId", "IdentityPoolName",
                "HostedUIDomain", "OAuthMetadata"],
            document.Select(m => m.Key));
        Assert.Equal(
            ["us-east-1_kept", "arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_kept", "pool-dev", "native", "web"],
            document.Take(5).Select(m => (string?)m.Value));
        Assert.Equal(("ids__dev", "sign-dev"), ((string?)document["IdentityPoolName"], (string?)document["HostedUIDomain"]));
        Assert.Equal("""
            {"AllowedOAuthFlows":["code"],"AllowedOAuthScopes":["email","aws.cognito.signin.user.admin"],
            "CallbackURLs":["https://in/?a=1\u0026b=2"],"LogoutURLs":["https://out/"]}
            """.ReplaceLineEndings(""), (string?)document["OAuthMetadata"]);
    }

    [Fact]
    public void Api_outputs_name_their_auth_config_as_amplify_meta_does()
    {
        var config = Configurations.ReadApi(Json("""
            {"DefaultAuthType":{"Mode":"AMAZON_COGNITO_USER_POOLS"},"AdditionalAuthTypes":[{"Mode":"API_KEY"},{}]}
            """));
        var previous = new ApiOutputs { GraphQLAPIIdOutput = "apiid", GraphQLAPIKeyOutput = "da2-key" };
        Assert.Equal("""
            {"authConfig":{"defaultAuthentication":{"authenticationType":"AMAZON_COGNITO_USER_POOLS"},
            "additionalAuthenticationProviders":[{"authenticationType":"API_KEY"}]},"GraphQLAPIIdOutput":"apiid",
            "GraphQLAPIEndpointOutput":"https://apiid.appsync-api.us-east-1.amazonaws.com/graphql","GraphQLAPIKeyOutput":"da2-key"}
            """.ReplaceLineEndings(""),
            EmulatedOutputs.Api(P, config, previous).ToDocument().ToJsonString());
        Assert.Equal("""{"BucketName":"b","Region":"us-east-1"}""", EmulatedOutputs.Storage(P, "b").ToDocument().ToJsonString());
    }

    [Fact]
    public void A_resource_is_read_only_as_its_own_kind()
    {
        var storage = new ResourceRecord(P, "app", "dev", ResourceKind.Storage, "s", Json("""{"BucketName":"b"}"""), [], false, "b", 1);
        Assert.Equal("b", storage.ReadStorageConfig().BucketName);
        Assert.Throws<InvalidOperationException>(() => storage.ReadAuthConfig());
    }

    /// <summary>An import brings in only documents the domain can read through its records, as the API made them.</summary>
    [Theory]
    [InlineData("config", """{"TransformSchema":5}""", "{}", "resources[0]: 'config' does not have the members the service gives it")]
    [InlineData("outputs", "{}", """{"authConfig":"none"}""", "resources[0]: 'outputs' does not have the members the service gives it")]
    public void A_snapshot_whose_documents_do_not_fit_their_records_is_refused(string member, string config, string outputs,
        string reason)
    {
        var environment = new EnvironmentRecord(P, "app", "dev", 1, EmulatedOutputs.RootStack(P, "app", "dev").ToDocument());
        var api = new ResourceRecord(P, "app", "dev", ResourceKind.Api, "api", Json(config), Json(outputs), false, null, 1);
        var refusal = Assert.Throws<DomainException>(() => SnapshotRules.Check(new StoreContents([], [environment], [api], [], [], [])));
        Assert.StartsWith($"Snapshot record {reason}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(member, refusal.Message, StringComparison.Ordinal);

        var provider = new EnvironmentRecord(P, "app", "dev", 1, Json("""{"StackName":["not","text"]}"""));
        Assert.Contains("environments[0]: 'provider' does not have the members",
            Assert.Throws<DomainException>(() => SnapshotRules.Check(new StoreContents([], [provider], [], [], [], []))).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void The_provisioning_note_is_amplify_metas_ampstack_member_beside_the_output_never_in_it()
    {
        var environment = new EnvironmentRecord(P, "app", "dev", 0, EmulatedOutputs.RootStack(P, "app", "dev").ToDocument());
        var outputs = ProvisioningNote.With(Json("""{"BucketName":"b1","Region":"us-east-1"}"""),
            ProvisioningNote.Make("http://127.0.0.1:5000", ["appsync CreateDataSource", "appsync CreateDataSource"]));
        var storage = new ResourceRecord(P, "app", "dev", ResourceKind.Storage, "files", [], outputs, false, "b1", 0);
        var entry = JsonNode.Parse(AmplifyMeta.Build(environment, [storage]))!["storage"]!["files"]!;
        Assert.Equal("""{"BucketName":"b1","Region":"us-east-1"}""", entry["output"]!.ToJsonString());
        Assert.Equal("""{"provisionedOn":"http://127.0.0.1:5000","skipped":["appsync CreateDataSource"]}""",
            entry[ProvisioningNote.Member]!.ToJsonString());
        Assert.Equal("b1", storage.ReadStorageOutputs().BucketName);
        // A clone is not provisioned: it does not carry the original's note.
        var imported = storage with { Imported = true };
        Assert.Null(ResourceService.CloneInto(imported, "prod", 1).Outputs[ProvisioningNote.Member]);
    }
}
