using Amazon.Runtime.Credentials;
using Ampstack.Aws.Auth;
using Ampstack.Aws.Client;
using Ampstack.Domain.Jobs;
using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Storage;
using Ampstack.Provisioning;
using Ampstack.Provisioning.Api;

namespace Ampstack.Host;

/// <summary>
/// Provisioning's part of the composition (<c>--provision-endpoint</c>): the endpoint and its credentials, the provisioner
/// and the runner of provisioning jobs. Without the option none of it is made, and jobs run as before.
/// </summary>
public static class ProvisioningComposition
{
    /// <summary>How many jobs provision at once on this node.</summary>
    public const int MaxConcurrentJobs = 4;

    /// <summary>
    /// The endpoint the option names, with its credentials: <c>AMPSTACK_PROVISION_*</c> when set; else, for <c>aws</c>, the
    /// AWS SDK's default chain (environment, profile, container and instance roles), read once at start (none:
    /// <see cref="CredentialStoreException"/>); else
    /// <c>test</c>/<c>test</c>, which moto and LocalStack accept.
    /// </summary>
    public static ProvisioningEndpoint Endpoint(string option, Func<string, string?> environment)
    {
        var url = ProvisioningEndpoint.ParseUrl(option);
        var given = !string.IsNullOrWhiteSpace(environment(EnvironmentCredentials.AccessKeyIdVariable))
            || !string.IsNullOrWhiteSpace(environment(EnvironmentCredentials.SecretAccessKeyVariable))
            || !string.IsNullOrWhiteSpace(environment(EnvironmentCredentials.SessionTokenVariable));
        if (given || url is not null)
        {
            return new ProvisioningEndpoint(url, EnvironmentCredentials.Resolve(environment));
        }

        try
        {
            var chain = DefaultAWSCredentialsIdentityResolver.GetCredentials().GetCredentials();
            return new ProvisioningEndpoint(null, new AwsCredentials(chain.AccessKey, chain.SecretKey,
                string.IsNullOrEmpty(chain.Token) ? null : chain.Token));
        }
        catch (Amazon.Runtime.AmazonClientException ex)
        {
            throw new CredentialStoreException("--provision-endpoint aws: no AWS credentials: set " +
                $"{EnvironmentCredentials.AccessKeyIdVariable} and {EnvironmentCredentials.SecretAccessKeyVariable}, or give the " +
                $"AWS SDK's default chain some ({ex.Message.Split('\n', 2)[0].Trim()})");
        }
    }

    /// <summary>
    /// Registers the provisioner and the runner when the option is given. No credentials for <c>aws</c> stop the start
    /// (<see cref="CredentialStoreException"/>: exit 5, one line saying what to set).
    /// </summary>
    public static void Add(IServiceCollection services, ServerOptions options)
    {
        if (options.ProvisionEndpoint is not { } option)
        {
            return;
        }

        var endpoint = Endpoint(option, Environment.GetEnvironmentVariable);
        services.AddSingleton(endpoint);
        services.AddSingleton<ISchemaTransformer, AmplifySchemaTransformer>();
        services.AddSingleton<EndpointProvisioner>();
        services.AddSingleton<IProvisioner>(sp => sp.GetRequiredService<EndpointProvisioner>());
        services.AddSingleton(sp =>
        {
            var schedule = sp.GetRequiredService<JobSchedule>();
            var time = sp.GetRequiredService<TimeProvider>();
            return new ProvisioningJobs(sp.GetRequiredService<IBackendStore>(), sp.GetRequiredService<IProvisioner>(), time,
                sp.GetRequiredService<JobLeases>(), MaxConcurrentJobs)
            {
                SlotFreed = () => schedule.Add(time.GetUtcNow().ToUnixTimeMilliseconds()),
            };
        });
    }

    /// <summary>What the start line says about provisioning.</summary>
    public static string Describe(IServiceProvider services) => services.GetService<ProvisioningJobs>() is { } jobs
        ? $"provisioning on {jobs.Provisioner.Where}"
        : "emulated resources";
}
