using System.Text.Json.Nodes;
using Ampstack.Aws.Client;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Domain.Resources.Configuration;
using Ampstack.Domain.Resources.Outputs;

namespace Ampstack.Provisioning.Auth;

/// <summary>
/// Auth on the endpoint: a user pool from the whole configuration, a web client and a native client (no secret), the
/// hosted UI's domain and OAuth settings when asked, an identity pool linked to the web client with the root roles.
/// Each is found before it is made (by its deterministic name, and for pools by the resource tag), so a run repeated
/// after a crash makes nothing twice. A failed create removes what its run made.
/// </summary>
internal sealed class AuthProvisioner(ServiceClients clients, ProvisioningEndpoint endpoint)
{
    private const int PageSize = 60;

    private ServiceClients Clients => clients;

    public async Task<ProvisionOutcome> CreateOrUpdateAsync(ProvisionTask task, bool update, CancellationToken cancellationToken)
    {
        var resource = task.Resource!;
        var config = resource.ReadAuthConfig();
        var previous = update ? resource.ReadAuthOutputs() : null;
        var run = new Run(this, task, cancellationToken);
        try
        {
            var poolName = Naming.UserPoolName(config.UserPoolConfigs?.UserPoolName, task.Work.Name, task.Environment);
            var pool = previous?.UserPoolId is { } known && await run.DescribePoolAsync(known).ConfigureAwait(false) is { } existing
                ? existing
                : await run.FindOrCreatePoolAsync(config, poolName).ConfigureAwait(false);
            var poolId = (string)pool["Id"]!;
            if (update)
            {
                await run.Idp.InvokeAsync("UpdateUserPool", UserPoolInput.Update(config, poolId, run.Tags), cancellationToken)
                    .ConfigureAwait(false);
            }

            var oauth = config.UserPoolConfigs?.OAuth;
            var web = await run.FindOrCreateClientAsync(poolId, Naming.ClientName(poolName, web: true), oauth).ConfigureAwait(false);
            var native = await run.FindOrCreateClientAsync(poolId, Naming.ClientName(poolName, web: false), null).ConfigureAwait(false);
            if (oauth?.DomainPrefix is { Length: > 0 } prefix && (string?)pool["Domain"] is not { Length: > 0 })
            {
                var domain = Naming.HostedUiDomain(prefix, task.Environment);
                await run.Idp.InvokeAsync("CreateUserPoolDomain", new JsonObject { ["Domain"] = domain, ["UserPoolId"] = poolId },
                    cancellationToken).ConfigureAwait(false);
                run.Made(() => run.Idp.InvokeAsync("DeleteUserPoolDomain",
                    new JsonObject { ["Domain"] = domain, ["UserPoolId"] = poolId }, CancellationToken.None));
            }

            string? identityPoolId = null;
            if (config.AuthResources == AuthResources.IdentityPoolAndUserPool)
            {
                identityPoolId = await run.EnsureIdentityPoolAsync(config, previous?.IdentityPoolId, poolId, web).ConfigureAwait(false);
            }
            else if (previous?.IdentityPoolId is { } dropped)
            {
                await run.DeleteIdentityPoolAsync(dropped).ConfigureAwait(false);
            }

            var real = new AuthOutputs
            {
                UserPoolId = poolId,
                AppClientID = native,
                AppClientIDWeb = web,
                IdentityPoolId = identityPoolId,
            };
            var outputs = EmulatedOutputs.Auth(task.Partition, task.Environment, config, real) with
            {
                UserPoolArn = (string?)pool["Arn"],
                UserPoolName = poolName,
                IdentityPoolName = identityPoolId is null
                    ? null
                    : Naming.IdentityPoolName(config.IdentityPoolConfigs?.IdentityPoolName, task.Work.Name, task.Environment),
            };
            return ProvisionOutcome.Done(outputs.ToDocument(), run.Skipped);
        }
        catch (AwsClientException ex)
        {
            await run.UndoAsync().ConfigureAwait(false);
            return ProvisionOutcome.Failed(Steps.Describe(ex), run.Skipped);
        }
    }

    /// <summary>ImportBackendAuth: the named pool, clients and identity pool must exist; the job fails naming each missing one.</summary>
    public async Task<ProvisionOutcome> ImportAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var outputs = task.Resource!.ReadAuthOutputs();
        var run = new Run(this, task, cancellationToken);
        try
        {
            var missing = new List<string>();
            var pool = await run.DescribePoolAsync(outputs.UserPoolId!).ConfigureAwait(false);
            if (pool is null)
            {
                missing.Add($"the user pool {outputs.UserPoolId}");
            }
            else
            {
                foreach (var (kind, id) in new[] { ("web client", outputs.AppClientIDWeb), ("native client", outputs.AppClientID) })
                {
                    if (id is not null && !await run.ClientExistsAsync(outputs.UserPoolId!, id).ConfigureAwait(false))
                    {
                        missing.Add($"the {kind} {id} of user pool {outputs.UserPoolId}");
                    }
                }
            }

            if (outputs.IdentityPoolId is { } identityPoolId
                && await run.DescribeIdentityPoolAsync(identityPoolId).ConfigureAwait(false) is null)
            {
                missing.Add($"the identity pool {identityPoolId}");
            }

            if (missing.Count > 0)
            {
                return ProvisionOutcome.Failed($"ImportBackendAuth: not found on {endpoint.Where}: {string.Join(", ", missing)}.");
            }

            return ProvisionOutcome.Done((outputs with
            {
                UserPoolArn = (string?)pool!["Arn"] ?? outputs.UserPoolArn,
                UserPoolName = (string?)pool["Name"] ?? outputs.UserPoolName,
            }).ToDocument());
        }
        catch (AwsClientException ex)
        {
            return ProvisionOutcome.Failed(Steps.Describe(ex));
        }
    }

    /// <summary>DeleteBackendAuth: the domain, the identity pool and the user pool (with its clients); already gone is fine.</summary>
    public async Task<ProvisionOutcome> DeleteAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        var outputs = AuthOutputs.From(task.Work.Outputs ?? []);
        var run = new Run(this, task, cancellationToken);
        try
        {
            if (outputs.UserPoolId is { } poolId)
            {
                if (outputs.HostedUIDomain is { } domain)
                {
                    await Run.IgnoringNotFound(() => run.Idp.InvokeAsync("DeleteUserPoolDomain",
                        new JsonObject { ["Domain"] = domain, ["UserPoolId"] = poolId }, cancellationToken)).ConfigureAwait(false);
                }

                if (outputs.IdentityPoolId is { } identityPoolId)
                {
                    await run.DeleteIdentityPoolAsync(identityPoolId).ConfigureAwait(false);
                }

                await Run.IgnoringNotFound(() => run.Idp.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = poolId },
                    cancellationToken)).ConfigureAwait(false);
            }

            return ProvisionOutcome.Done(null);
        }
        catch (AwsClientException ex)
        {
            return ProvisionOutcome.Failed(Steps.Describe(ex));
        }
    }

    /// <summary>One run of one job: its clients, its tags, what it made (to undo on failure) and what it skipped.</summary>
    private sealed class Run(AuthProvisioner owner, ProvisionTask task, CancellationToken cancellationToken)
    {
        private readonly List<Func<Task>> _undo = [];

        public AwsServiceClient Idp { get; } = owner.Clients.For(ProvisioningModels.CognitoIdp, task.Partition.Region);

        public AwsServiceClient Identity { get; } = owner.Clients.For(ProvisioningModels.CognitoIdentity, task.Partition.Region);

        public List<string> Skipped { get; } = [];

        public Dictionary<string, string> Tags { get; } = new()
        {
            [Naming.ResourceTag] = Naming.ResourceKey(task),
            [Naming.JobTag] = task.JobId,
        };

        public void Made(Func<Task> undo) => _undo.Add(undo);

        public async Task UndoAsync()
        {
            for (var i = _undo.Count - 1; i >= 0; i--)
            {
                try
                {
                    await _undo[i]().ConfigureAwait(false);
                }
                catch (AwsClientException)
                {
                    // Best effort: what cannot be removed now carries its tags, and a repeated create finds it.
                }
            }
        }

        public static async Task IgnoringNotFound(Func<Task> call)
        {
            try
            {
                await call().ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (Steps.NotFound(ex))
            {
            }
        }

        public async Task<JsonObject?> DescribePoolAsync(string poolId)
        {
            try
            {
                var answer = await Idp.InvokeAsync("DescribeUserPool", new JsonObject { ["UserPoolId"] = poolId }, cancellationToken)
                    .ConfigureAwait(false);
                return answer["UserPool"] as JsonObject;
            }
            catch (AwsServiceException ex) when (Steps.NotFound(ex) || ex.ErrorCode == "InvalidParameterException")
            {
                return null;
            }
        }

        public async Task<JsonObject> FindOrCreatePoolAsync(CreateBackendAuthResourceConfig config, string poolName)
        {
            await foreach (var listed in Listing.AllAsync(Idp, "ListUserPools", [], "UserPools", "MaxResults", PageSize, "NextToken",
                cancellationToken).ConfigureAwait(false))
            {
                if ((string?)listed["Name"] == poolName
                    && await DescribePoolAsync((string)listed["Id"]!).ConfigureAwait(false) is { } pool
                    && (string?)pool["UserPoolTags"]?[Naming.ResourceTag] == Tags[Naming.ResourceTag])
                {
                    MadeByThisJob(pool["UserPoolTags"], () => DeletePoolAsync((string)pool["Id"]!));
                    return pool;
                }
            }

            var created = await Idp.InvokeAsync("CreateUserPool", UserPoolInput.Create(config, poolName, Tags), cancellationToken)
                .ConfigureAwait(false);
            var made = (JsonObject)created["UserPool"]!;
            Made(() => DeletePoolAsync((string)made["Id"]!));
            return made;
        }

        private Task<JsonObject> DeletePoolAsync(string poolId) =>
            Idp.InvokeAsync("DeleteUserPool", new JsonObject { ["UserPoolId"] = poolId }, CancellationToken.None);

        /// <summary>A thing found that an earlier run of this same job made is this job's to undo too.</summary>
        private void MadeByThisJob(JsonNode? tags, Func<Task> undo)
        {
            if ((string?)tags?[Naming.JobTag] == task.JobId)
            {
                Made(undo);
            }
        }

        public async Task<bool> ClientExistsAsync(string poolId, string clientId)
        {
            try
            {
                await Idp.InvokeAsync("DescribeUserPoolClient", new JsonObject { ["UserPoolId"] = poolId, ["ClientId"] = clientId },
                    cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AwsServiceException ex) when (Steps.NotFound(ex) || ex.ErrorCode == "InvalidParameterException")
            {
                return false;
            }
        }

        /// <summary>The client named <paramref name="name"/> of the pool, made (without a secret) when there is none.</summary>
        public async Task<string> FindOrCreateClientAsync(string poolId, string name, CreateBackendAuthOAuthConfig? oauth)
        {
            await foreach (var listed in Listing.AllAsync(Idp, "ListUserPoolClients", new JsonObject { ["UserPoolId"] = poolId },
                "UserPoolClients", "MaxResults", PageSize, "NextToken", cancellationToken).ConfigureAwait(false))
            {
                if ((string?)listed["ClientName"] == name)
                {
                    return (string)listed["ClientId"]!;
                }
            }

            var input = new JsonObject
            {
                ["UserPoolId"] = poolId,
                ["ClientName"] = name,
                ["GenerateSecret"] = false,
                ["ExplicitAuthFlows"] = new JsonArray("ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"),
            };
            if (oauth is not null)
            {
                input["SupportedIdentityProviders"] = new JsonArray("COGNITO");
                input["AllowedOAuthFlowsUserPoolClient"] = true;
                input["AllowedOAuthFlows"] = new JsonArray(oauth.OAuthGrantType == OAuthGrantType.Implicit ? "implicit" : "code");
                input["AllowedOAuthScopes"] = new JsonArray([.. (oauth.OAuthScopes ?? []).Select(s => JsonValue.Create(Scope(s)))]);
                input["CallbackURLs"] = new JsonArray([.. (oauth.RedirectSignInURIs ?? []).Select(u => JsonValue.Create(u))]);
                input["LogoutURLs"] = new JsonArray([.. (oauth.RedirectSignOutURIs ?? []).Select(u => JsonValue.Create(u))]);
            }

            var created = await Idp.InvokeAsync("CreateUserPoolClient", input, cancellationToken).ConfigureAwait(false);
            return (string)created["UserPoolClient"]!["ClientId"]!;
        }

        public async Task<JsonObject?> DescribeIdentityPoolAsync(string identityPoolId)
        {
            try
            {
                return await Identity.InvokeAsync("DescribeIdentityPool", new JsonObject { ["IdentityPoolId"] = identityPoolId },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (Steps.NotFound(ex) || ex.ErrorCode == "InvalidParameterException")
            {
                return null;
            }
        }

        public Task DeleteIdentityPoolAsync(string identityPoolId) => IgnoringNotFound(() => Identity.InvokeAsync("DeleteIdentityPool",
            new JsonObject { ["IdentityPoolId"] = identityPoolId }, cancellationToken));

        /// <summary>
        /// The identity pool: the one already made (kept, its settings applied), else found by name and tag, else made;
        /// linked to the web client, unauthenticated access as configured, the root roles attached.
        /// </summary>
        public async Task<string> EnsureIdentityPoolAsync(CreateBackendAuthResourceConfig config, string? known, string poolId,
            string webClientId)
        {
            var name = Naming.IdentityPoolName(config.IdentityPoolConfigs?.IdentityPoolName, task.Work.Name, task.Environment);
            var settings = new JsonObject
            {
                ["IdentityPoolName"] = name,
                ["AllowUnauthenticatedIdentities"] = config.IdentityPoolConfigs?.UnauthenticatedLogin ?? false,
                ["CognitoIdentityProviders"] = new JsonArray(new JsonObject
                {
                    ["ProviderName"] = $"cognito-idp.{task.Partition.Region}.amazonaws.com/{poolId}",
                    ["ClientId"] = webClientId,
                    ["ServerSideTokenCheck"] = false,
                }),
                ["IdentityPoolTags"] = new JsonObject([.. Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
            };

            var id = known is not null && await DescribeIdentityPoolAsync(known).ConfigureAwait(false) is not null
                ? known
                : await FindIdentityPoolAsync(name).ConfigureAwait(false);
            if (id is null)
            {
                var created = await Identity.InvokeAsync("CreateIdentityPool", settings, cancellationToken).ConfigureAwait(false);
                id = (string)created["IdentityPoolId"]!;
                var madeId = id;
                Made(() => Identity.InvokeAsync("DeleteIdentityPool", new JsonObject { ["IdentityPoolId"] = madeId },
                    CancellationToken.None));
            }
            else
            {
                settings["IdentityPoolId"] = id;
                await Identity.InvokeAsync("UpdateIdentityPool", settings, cancellationToken).ConfigureAwait(false);
            }

            await AttachRolesAsync(id).ConfigureAwait(false);
            return id;
        }

        private async Task<string?> FindIdentityPoolAsync(string name)
        {
            await foreach (var listed in Listing.AllAsync(Identity, "ListIdentityPools", [], "IdentityPools", "MaxResults", PageSize,
                "NextToken", cancellationToken).ConfigureAwait(false))
            {
                if ((string?)listed["IdentityPoolName"] == name
                    && await DescribeIdentityPoolAsync((string)listed["IdentityPoolId"]!).ConfigureAwait(false) is { } pool
                    && (string?)pool["IdentityPoolTags"]?[Naming.ResourceTag] == Tags[Naming.ResourceTag])
                {
                    var id = (string)pool["IdentityPoolId"]!;
                    MadeByThisJob(pool["IdentityPoolTags"],
                        () => Identity.InvokeAsync("DeleteIdentityPool", new JsonObject { ["IdentityPoolId"] = id },
                            CancellationToken.None));
                    return id;
                }
            }

            return null;
        }

        /// <summary>The root stack's auth and unauth roles on the identity pool; skipped where the endpoint lacks the call.</summary>
        private async Task AttachRolesAsync(string identityPoolId)
        {
            var root = task.RootStack is null ? null : RootStackOutputs.From(task.RootStack);
            if (root?.AuthRoleArn is not { } auth || root.UnauthRoleArn is not { } unauth)
            {
                return;
            }

            var once = owner.Clients.For(ProvisioningModels.CognitoIdentity, task.Partition.Region, once: true);
            try
            {
                await once.InvokeAsync("SetIdentityPoolRoles", new JsonObject
                {
                    ["IdentityPoolId"] = identityPoolId,
                    ["Roles"] = new JsonObject { ["authenticated"] = auth, ["unauthenticated"] = unauth },
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (Steps.NotImplemented(ex))
            {
                Skipped.Add("cognito-identity SetIdentityPoolRoles");
            }
        }

        private static string Scope(string? scope) => scope switch
        {
            OAuthScopesElement.AwsCognitoSigninUserAdmin => "aws.cognito.signin.user.admin",
            _ => scope?.ToLowerInvariant() ?? "",
        };
    }
}
