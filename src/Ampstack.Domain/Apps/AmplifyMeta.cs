using System.Text.Json.Nodes;
using Ampstack.Domain.Deployment;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;

namespace Ampstack.Domain.Apps;

/// <summary>
/// Builds the two strings GetBackend returns: amplify-meta.json of an environment (the document the deployment bucket
/// holds too) and the app's cli.json feature flags.
/// </summary>
public static class AmplifyMeta
{
    private static readonly (ResourceKind Kind, string Service)[] Sections =
    [
        (ResourceKind.Auth, "Cognito"),
        (ResourceKind.Api, "AppSync"),
        (ResourceKind.Storage, "S3"),
    ];

    public static string Build(EnvironmentRecord environment, IReadOnlyList<ResourceRecord> resources)
    {
        var deploymentBucket = environment.ReadRootStack().DeploymentBucketName;
        var meta = new JsonObject
        {
            ["providers"] = new JsonObject { ["awscloudformation"] = environment.Provider.DeepClone() },
        };
        foreach (var (kind, service) in Sections)
        {
            var section = new JsonObject();
            foreach (var resource in resources.Where(r => r.Kind == kind))
            {
                var (output, note) = ProvisioningNote.Split(resource.Outputs);
                var entry = new JsonObject
                {
                    ["service"] = service,
                    ["providerPlugin"] = "awscloudformation",
                    ["output"] = output,
                    ["lastPushTimeStamp"] = DateTimeOffset.FromUnixTimeMilliseconds(resource.CreatedAt).ToString("O"),
                };
                if (resource.Imported)
                {
                    entry["serviceType"] = "imported";
                }

                // What `amplify push` also leaves in the deployed amplify-meta.json, which GetBackend answers and the
                // deployment bucket holds: the same document in both places.
                entry["dependsOn"] = new JsonArray();
                if (kind == ResourceKind.Auth)
                {
                    entry["frontendAuthConfig"] = AuthProject.FrontendConfig(resource);
                    entry["customAuth"] = false;
                }

                entry["providerMetadata"] = new JsonObject
                {
                    ["s3TemplateURL"] = $"https://s3.amazonaws.com/{deploymentBucket}/" +
                        $"amplify-cfn-templates/{kind.ToStored()}/{resource.Name}-cloudformation-template.json",
                    ["logicalId"] = Stacks.LogicalId(resource),
                };
                if (note is not null)
                {
                    // Where provisioning made it and what it skipped: Ampstack's own member, out of "output".
                    entry[ProvisioningNote.Member] = note;
                }

                section[resource.Name] = entry;
            }

            meta[kind.ToStored()] = section;
        }

        return meta.ToJsonString();
    }

    /// <summary>
    /// The cli.json of a new Amplify project (GraphQL transformer v2): what Amplify CLI 14.2.2's
    /// <c>FeatureFlags.getNewProjectDefaults()</c> writes, member for member. The same text for every environment, made
    /// once (GetBackend answers it on every call).
    /// </summary>
    public static string FeatureFlags() => CliJson;

    private static readonly string CliJson = new JsonObject
    {
        ["features"] = new JsonObject
        {
            ["graphqltransformer"] = new JsonObject
            {
                ["addmissingownerfields"] = true,
                ["improvepluralization"] = false,
                ["validatetypenamereservedwords"] = true,
                ["useexperimentalpipelinedtransformer"] = true,
                ["enableiterativegsiupdates"] = true,
                ["secondarykeyasgsi"] = true,
                ["skipoverridemutationinputtypes"] = true,
                ["transformerversion"] = 2,
                ["suppressschemamigrationprompt"] = true,
                ["securityenhancementnotification"] = false,
                ["showfieldauthnotification"] = false,
                ["usesubusernamefordefaultidentityclaim"] = true,
                ["usefieldnameforprimarykeyconnectionfield"] = false,
                ["enableautoindexquerynames"] = true,
                ["respectprimarykeyattributesonconnectionfield"] = true,
                ["shoulddeepmergedirectiveconfigdefaults"] = false,
                ["populateownerfieldforstaticgroupauth"] = true,
                ["subscriptionsinheritprimaryauth"] = false,
                ["enablegen2migration"] = false,
            },
            ["frontend-ios"] = new JsonObject { ["enablexcodeintegration"] = true },
            ["auth"] = new JsonObject
            {
                ["enablecaseinsensitivity"] = true,
                ["useinclusiveterminology"] = true,
                ["breakcirculardependency"] = true,
                ["forcealiasattributes"] = false,
                ["useenabledmfas"] = true,
            },
            ["codegen"] = new JsonObject
            {
                ["useappsyncmodelgenplugin"] = true,
                ["usedocsgeneratorplugin"] = true,
                ["usetypesgeneratorplugin"] = true,
                ["cleangeneratedmodelsdirectory"] = true,
                ["retaincasestyle"] = true,
                ["addtimestampfields"] = true,
                ["handlelistnullabilitytransparently"] = true,
                ["emitauthprovider"] = true,
                ["generateindexrules"] = true,
                ["enabledartnullsafety"] = true,
                ["generatemodelsforlazyloadandcustomselectionset"] = false,
            },
            ["appsync"] = new JsonObject { ["generategraphqlpermissions"] = true },
            ["latestregionsupport"] = new JsonObject
            {
                ["pinpoint"] = 1,
                ["translate"] = 1,
                ["transcribe"] = 1,
                ["rekognition"] = 1,
                ["textract"] = 1,
                ["comprehend"] = 1,
            },
            ["project"] = new JsonObject { ["overrides"] = true },
        },
    }.ToJsonString();
}
