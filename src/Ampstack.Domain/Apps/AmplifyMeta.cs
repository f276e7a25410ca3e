using System.Buffers;
using System.Text;
using System.Text.Json;
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

    /// <summary>
    /// amplify-meta.json of the environment, written straight to UTF-8 from the stored documents (GetBackend answers it on
    /// every call: no tree is built and copied for it).
    /// </summary>
    public static string Build(EnvironmentRecord environment, IReadOnlyList<ResourceRecord> resources)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(resources);
        var deploymentBucket = environment.ReadRootStack().DeploymentBucketName;
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("providers");
            writer.WritePropertyName("awscloudformation");
            environment.Provider.WriteTo(writer);
            writer.WriteEndObject();
            foreach (var (kind, service) in Sections)
            {
                writer.WriteStartObject(kind.ToStored());
                foreach (var resource in resources)
                {
                    if (resource.Kind == kind)
                    {
                        WriteEntry(writer, resource, service, deploymentBucket);
                    }
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteEntry(Utf8JsonWriter writer, ResourceRecord resource, string service, string? deploymentBucket)
    {
        writer.WriteStartObject(resource.Name);
        writer.WriteString("service", service);
        writer.WriteString("providerPlugin", "awscloudformation");
        writer.WriteStartObject("output");
        JsonNode? note = null;
        foreach (var (name, value) in resource.Outputs)
        {
            if (name == ProvisioningNote.Member)
            {
                // Where provisioning made it and what it skipped: Ampstack's own member, out of "output".
                note = value as JsonObject;
                continue;
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }

        writer.WriteEndObject();
        writer.WriteString("lastPushTimeStamp", DateTimeOffset.FromUnixTimeMilliseconds(resource.CreatedAt).ToString("O"));
        if (resource.Imported)
        {
            writer.WriteString("serviceType", "imported");
        }

        // What `amplify push` also leaves in the deployed amplify-meta.json, which GetBackend answers and the deployment
        // bucket holds: the same document in both places.
        writer.WriteStartArray("dependsOn");
        writer.WriteEndArray();
        if (resource.Kind == ResourceKind.Auth)
        {
            writer.WritePropertyName("frontendAuthConfig");
            AuthProject.FrontendConfig(resource).WriteTo(writer);
            writer.WriteBoolean("customAuth", false);
        }

        writer.WriteStartObject("providerMetadata");
        writer.WriteString("s3TemplateURL", $"https://s3.amazonaws.com/{deploymentBucket}/" +
            $"amplify-cfn-templates/{resource.Kind.ToStored()}/{resource.Name}-cloudformation-template.json");
        writer.WriteString("logicalId", Stacks.LogicalId(resource));
        writer.WriteEndObject();
        if (note is not null)
        {
            writer.WritePropertyName(ProvisioningNote.Member);
            note.WriteTo(writer);
        }

        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
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
