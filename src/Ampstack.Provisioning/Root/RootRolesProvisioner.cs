using System.Text.Json.Nodes;
using Ampstack.Aws.Client;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Provisioning.Root;

/// <summary>
/// The root stack's part that provisioning makes (CreateBackend, CloneBackend): the environment's auth and unauth IAM roles,
/// named as the environment's outputs name them, trusted by the identity pool (<c>cognito-identity.amazonaws.com</c> with
/// <c>sts:AssumeRoleWithWebIdentity</c>, <c>amr</c> authenticated / unauthenticated, as Amplify's root stack template does)
/// and tagged with the resource key and the job id. A role of that name that carries our resource key is taken as made
/// (a resumed job); one that does not is a conflict. DeleteBackend and RemoveAllBackends remove them, inline policies first.
/// </summary>
internal sealed class RootRolesProvisioner(ServiceClients clients)
{
    private AwsServiceClient Iam(ProvisionTask task) => clients.For(ProvisioningModels.Iam, task.Partition.Region);

    public async Task<ProvisionOutcome> CreateAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var root = task.RootStack is null ? new RootStackOutputs() : RootStackOutputs.From(task.RootStack);
        if (root.AuthRoleName is not { Length: > 0 } authName || root.UnauthRoleName is not { Length: > 0 } unauthName)
        {
            return ProvisionOutcome.Failed("CreateBackend: the environment's outputs name no auth and unauth roles.");
        }

        var iam = Iam(task);
        var made = new List<string>();
        try
        {
            var auth = await FindOrCreateAsync(iam, task, authName, "authenticated", made, cancellationToken).ConfigureAwait(false);
            var unauth = auth is null
                ? null
                : await FindOrCreateAsync(iam, task, unauthName, "unauthenticated", made, cancellationToken).ConfigureAwait(false);
            if (auth is null || unauth is null)
            {
                await UndoAsync(iam, made).ConfigureAwait(false);
                return ProvisionOutcome.Failed($"CreateBackend: the role {(auth is null ? authName : unauthName)} already exists on "
                    + "the provisioning endpoint and was not made for this environment.");
            }

            var outputs = root with { AuthRoleName = authName, AuthRoleArn = auth, UnauthRoleName = unauthName, UnauthRoleArn = unauth };
            return ProvisionOutcome.Done(outputs.ToDocument());
        }
        catch (AwsClientException ex)
        {
            await UndoAsync(iam, made).ConfigureAwait(false);
            return ProvisionOutcome.Failed(Steps.Describe(ex));
        }
    }

    /// <summary>Removes the roles this run made (a failed job leaves nothing behind); best effort.</summary>
    private static async Task UndoAsync(AwsServiceClient iam, List<string> made)
    {
        foreach (var name in made)
        {
            try
            {
                await DeleteRoleAsync(iam, name, CancellationToken.None).ConfigureAwait(false);
            }
            catch (AwsClientException)
            {
                // The role carries its tags, and a repeated create finds it.
            }
        }
    }

    public async Task<ProvisionOutcome> DeleteAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var root = task.Work.Outputs is null ? new RootStackOutputs() : RootStackOutputs.From(task.Work.Outputs);
        var iam = Iam(task);
        try
        {
            foreach (var name in new[] { root.AuthRoleName, root.UnauthRoleName }.OfType<string>().Where(n => n.Length > 0))
            {
                if (await OursAsync(iam, task, name, cancellationToken).ConfigureAwait(false))
                {
                    await DeleteRoleAsync(iam, name, cancellationToken).ConfigureAwait(false);
                }
            }

            return ProvisionOutcome.Done(null);
        }
        catch (AwsClientException ex)
        {
            return ProvisionOutcome.Failed(Steps.Describe(ex));
        }
    }

    /// <summary>The trust policy of Amplify's root stack template for the auth or unauth role.</summary>
    public static string TrustPolicy(string amr) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Federated"] = "cognito-identity.amazonaws.com" },
            ["Action"] = "sts:AssumeRoleWithWebIdentity",
            ["Condition"] = new JsonObject
            {
                ["ForAnyValue:StringLike"] = new JsonObject { ["cognito-identity.amazonaws.com:amr"] = amr },
            },
        }),
    }.ToJsonString();

    /// <summary>The role's ARN, made when missing; null when a role of that name is there but is not ours.</summary>
    private static async Task<string?> FindOrCreateAsync(AwsServiceClient iam, ProvisionTask task, string name, string amr,
        List<string> made, CancellationToken cancellationToken)
    {
        if (await GetArnAsync(iam, name, cancellationToken).ConfigureAwait(false) is { } arn)
        {
            if (!await OursAsync(iam, task, name, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return arn;
        }

        var created = await iam.InvokeAsync("CreateRole", new JsonObject
        {
            ["RoleName"] = name,
            ["AssumeRolePolicyDocument"] = TrustPolicy(amr),
            ["Tags"] = new JsonArray(
                new JsonObject { ["Key"] = Naming.ResourceTag, ["Value"] = Naming.ResourceKey(task) },
                new JsonObject { ["Key"] = Naming.JobTag, ["Value"] = task.JobId }),
        }, cancellationToken).ConfigureAwait(false);
        made.Add(name);
        return (string)created["Role"]!["Arn"]!;
    }

    private static async Task<string?> GetArnAsync(AwsServiceClient iam, string name, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await iam.InvokeAsync("GetRole", new JsonObject { ["RoleName"] = name }, cancellationToken).ConfigureAwait(false);
            return (string?)answer["Role"]?["Arn"];
        }
        catch (AwsServiceException ex) when (Steps.NotFound(ex))
        {
            return null;
        }
    }

    /// <summary>Whether the role exists and carries this environment's resource key.</summary>
    private static async Task<bool> OursAsync(AwsServiceClient iam, ProvisionTask task, string name, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await iam.InvokeAsync("GetRole", new JsonObject { ["RoleName"] = name }, cancellationToken).ConfigureAwait(false);
            return (answer["Role"]?["Tags"] as JsonArray ?? []).Any(t =>
                (string?)t?["Key"] == Naming.ResourceTag && (string?)t?["Value"] == Naming.ResourceKey(task));
        }
        catch (AwsServiceException ex) when (Steps.NotFound(ex))
        {
            return false;
        }
    }

    /// <summary>The role with its inline policies (IAM refuses to delete a role that has any); already gone is fine.</summary>
    private static async Task DeleteRoleAsync(AwsServiceClient iam, string name, CancellationToken cancellationToken)
    {
        try
        {
            var policies = await iam.InvokeAsync("ListRolePolicies", new JsonObject { ["RoleName"] = name }, cancellationToken)
                .ConfigureAwait(false);
            foreach (var policy in policies["PolicyNames"] as JsonArray ?? [])
            {
                await iam.InvokeAsync("DeleteRolePolicy", new JsonObject { ["RoleName"] = name, ["PolicyName"] = (string?)policy },
                    cancellationToken).ConfigureAwait(false);
            }

            await iam.InvokeAsync("DeleteRole", new JsonObject { ["RoleName"] = name }, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (Steps.NotFound(ex))
        {
        }
    }
}
