using System.Text.Json.Nodes;
using Ampstack.Domain.Resources.Configuration;

namespace Ampstack.Provisioning.Storage;

/// <summary>One inline policy on one of the environment's roles.</summary>
/// <param name="Guest">On the unauth (guest) role; else on the auth role.</param>
/// <param name="Name">The policy's name.</param>
/// <param name="Document">The policy document.</param>
internal sealed record RolePolicy(bool Guest, string Name, JsonObject Document);

/// <summary>
/// The inline IAM policies the Amplify CLI's S3 storage stack (<c>amplify-category-storage</c>'s
/// <c>s3-stack-builder</c>) puts on the environment's roles for the configured permissions, one per path:
/// <list type="bullet">
/// <item>auth role, when any permission is given: <c>Public_policy_&lt;id&gt;</c> on <c>public/*</c>,
/// <c>Protected_policy_&lt;id&gt;</c> on <c>protected/${sub}/*</c>, <c>Private_policy_&lt;id&gt;</c> on
/// <c>private/${sub}/*</c>; guest role: <c>Public_policy_&lt;id&gt;</c> only; the actions are the permissions'
/// (READ <c>s3:GetObject</c>, CREATE_AND_UPDATE <c>s3:PutObject</c>, DELETE <c>s3:DeleteObject</c>) in the order given;</item>
/// <item>with CREATE_AND_UPDATE: <c>Uploads_policy_&lt;id&gt;</c>, <c>s3:PutObject</c> on <c>uploads/*</c>;</item>
/// <item>with READ: <c>read_policy_&lt;id&gt;</c>, <c>s3:GetObject</c> on <c>protected/*</c> and <c>s3:ListBucket</c> on the
/// bucket for the prefixes the role may list (a guest: public and protected; a user also its own private folder).</item>
/// </list>
/// <c>${sub}</c> is <c>${cognito-identity.amazonaws.com:sub}</c>, the caller's identity id. The id in the names is
/// <see cref="Domain.Deployment.StorageProject.PolicyUuid"/>, so every run of a job names the same policies.
/// </summary>
internal static class StoragePolicies
{
    private const string Sub = "${cognito-identity.amazonaws.com:sub}";

    /// <summary>The names' stems; with the id they are every policy of one storage resource.</summary>
    private static readonly string[] Stems = ["Public_policy_", "Protected_policy_", "Private_policy_", "Uploads_policy_", "read_policy_"];

    /// <summary>Every name a storage resource's policy may have on either role.</summary>
    public static IEnumerable<string> Names(string policyUuid) => Stems.Select(stem => stem + policyUuid);

    /// <summary>
    /// The policies for the <paramref name="authenticated"/> and <paramref name="guest"/> permissions on <paramref name="bucket"/>.
    /// </summary>
    public static IReadOnlyList<RolePolicy> For(string bucket, string policyUuid, IReadOnlyList<string?>? authenticated,
        IReadOnlyList<string?>? guest)
    {
        var policies = new List<RolePolicy>();
        Add(policies, guest: false, bucket, policyUuid, authenticated ?? []);
        Add(policies, guest: true, bucket, policyUuid, guest ?? []);
        return policies;
    }

    private static void Add(List<RolePolicy> policies, bool guest, string bucket, string policyUuid, IReadOnlyList<string?> permissions)
    {
        var arn = "arn:aws:s3:::" + bucket;
        var actions = permissions.Select(Action).OfType<string>().Distinct().ToList();
        if (actions.Count > 0)
        {
            policies.Add(new RolePolicy(guest, "Public_policy_" + policyUuid, Objects(actions, arn + "/public/*")));
            if (!guest)
            {
                policies.Add(new RolePolicy(guest, "Protected_policy_" + policyUuid, Objects(actions, $"{arn}/protected/{Sub}/*")));
                policies.Add(new RolePolicy(guest, "Private_policy_" + policyUuid, Objects(actions, $"{arn}/private/{Sub}/*")));
            }
        }

        if (permissions.Contains(AuthenticatedElement.CreateAndUpdate))
        {
            policies.Add(new RolePolicy(guest, "Uploads_policy_" + policyUuid, Objects(["s3:PutObject"], arn + "/uploads/*")));
        }

        if (permissions.Contains(AuthenticatedElement.Read))
        {
            string[] prefixes = guest
                ? ["public/", "public/*", "protected/", "protected/*"]
                : ["public/", "public/*", "protected/", "protected/*", $"private/{Sub}/", $"private/{Sub}/*"];
            policies.Add(new RolePolicy(guest, "read_policy_" + policyUuid, Document(
                new JsonObject { ["Action"] = "s3:GetObject", ["Effect"] = "Allow", ["Resource"] = arn + "/protected/*" },
                new JsonObject
                {
                    ["Action"] = "s3:ListBucket",
                    ["Condition"] = new JsonObject
                    {
                        ["StringLike"] = new JsonObject { ["s3:prefix"] = new JsonArray([.. prefixes.Select(p => (JsonNode)p)]) },
                    },
                    ["Effect"] = "Allow",
                    ["Resource"] = arn,
                })));
        }
    }

    private static string? Action(string? permission) => permission switch
    {
        AuthenticatedElement.Read => "s3:GetObject",
        AuthenticatedElement.CreateAndUpdate => "s3:PutObject",
        AuthenticatedElement.Delete => "s3:DeleteObject",
        _ => null,
    };

    private static JsonObject Objects(IEnumerable<string> actions, string resource) => Document(new JsonObject
    {
        ["Effect"] = "Allow",
        ["Action"] = new JsonArray([.. actions.Select(a => (JsonNode)a)]),
        ["Resource"] = new JsonArray(resource),
    });

    private static JsonObject Document(params JsonObject[] statements) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray([.. statements]),
    };
}
