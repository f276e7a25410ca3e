using System.Text;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;

namespace Ampstack.Provisioning;

/// <summary>
/// The deterministic names and tags of what provisioning makes, so that a job run again (after a crash, or by another
/// node) finds what it made: each thing is named from the app, environment and resource, and where the service takes
/// tags it carries the resource's key and the job's id.
/// </summary>
public static class Naming
{
    /// <summary>The tag holding <see cref="ResourceKey"/>: what a found thing must carry to be taken as ours.</summary>
    public const string ResourceTag = "ampstack:resource";

    /// <summary>The tag holding the id of the job that made it.</summary>
    public const string JobTag = "ampstack:job";

    /// <summary>The resource a thing belongs to, unique in the endpoint's account: account, region, app, environment, kind, name.</summary>
    public static string ResourceKey(ProvisionTask task) =>
        $"{task.Partition.AccountId}/{task.Partition.Region}/{task.AppId}/{task.Environment}/{task.Work.Kind.ToStored()}/{task.Work.Name}";

    /// <summary>The user pool: as Amplify names it, the configured name and the environment (128 characters at most).</summary>
    public static string UserPoolName(string? configured, string resourceName, string environment) =>
        Cut($"{(string.IsNullOrEmpty(configured) ? resourceName : configured)}-{environment}", 128);

    /// <summary>The app clients: as Amplify names them, the pool's name with <c>_app_clientWeb</c> / <c>_app_client</c>.</summary>
    public static string ClientName(string poolName, bool web) => Cut(poolName, 100) + (web ? "_app_clientWeb" : "_app_client");

    /// <summary>
    /// The identity pool: as Amplify names it, the configured name, two underscores and the environment, with what an
    /// identity pool name cannot hold (anything but letters, digits, <c>_</c> and spaces) as <c>_</c>.
    /// </summary>
    public static string IdentityPoolName(string? configured, string resourceName, string environment)
    {
        var text = $"{(string.IsNullOrEmpty(configured) ? resourceName : configured)}__{environment}";
        var name = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ' ' ? c : '_');
        }

        return Cut(name.ToString(), 128);
    }

    /// <summary>The hosted UI's domain: the configured prefix and the environment, lower case (as the outputs name it).</summary>
    public static string HostedUiDomain(string prefix, string environment) => $"{prefix}-{environment}".ToLowerInvariant();

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
