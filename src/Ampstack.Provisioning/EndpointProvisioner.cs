using Ampstack.Domain.Provisioning;
using Ampstack.Domain.Resources;
using Ampstack.Provisioning.Api;
using Ampstack.Provisioning.Auth;
using Ampstack.Provisioning.Root;
using Ampstack.Provisioning.Storage;
using Microsoft.Extensions.Logging;

namespace Ampstack.Provisioning;

/// <summary>
/// The domain's <see cref="IProvisioner"/> on an AWS-compatible endpoint: each category in its folder. Skipped steps are
/// logged here (the domain counts them).
/// </summary>
public sealed partial class EndpointProvisioner : IProvisioner, IDisposable
{
    private readonly ServiceClients _clients;
    private readonly ILogger _logger;
    private readonly AuthProvisioner _auth;
    private readonly StorageProvisioner _storage;
    private readonly ApiProvisioner _api;
    private readonly RootRolesProvisioner _roles;

    public EndpointProvisioner(ProvisioningEndpoint endpoint, ISchemaTools schemaTools, ISchemaTransformer transformer,
        ILogger<EndpointProvisioner> logger)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        Endpoint = endpoint;
        _logger = logger;
        _clients = new ServiceClients(endpoint, logger);
        _auth = new AuthProvisioner(_clients, endpoint);
        _storage = new StorageProvisioner(_clients, endpoint);
        _api = new ApiProvisioner(_clients, endpoint, schemaTools, transformer);
        _roles = new RootRolesProvisioner(_clients);
    }

    public ProvisioningEndpoint Endpoint { get; }

    public string Where => Endpoint.Where;

    /// <summary>Every category: auth, APIs and storage, and the root roles.</summary>
    public bool Handles(ResourceKind kind) => kind is ResourceKind.Auth or ResourceKind.Storage or ResourceKind.Api or ResourceKind.Root;

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var outcome = task.Work.Parts is { } parts
            ? await TeardownAsync(task, parts, cancellationToken).ConfigureAwait(false)
            : await ProvisionOneAsync(task, cancellationToken).ConfigureAwait(false);
        foreach (var step in outcome.Skipped)
        {
            LogSkipped(_logger, task.JobId, step, Where);
        }

        if (outcome.Error is { } error)
        {
            LogFailed(_logger, task.JobId, error);
        }

        return outcome;
    }

    /// <summary>
    /// DeleteBackend, RemoveAllBackends: each part removed, every one tried; the job fails naming those that failed. The
    /// parts get no root stack: their environments are gone from the store, and the task's may be another environment's
    /// (RemoveAllBackends spans several); the roles go whole, with their inline policies, as the teardown's root parts.
    /// </summary>
    private async Task<ProvisionOutcome> TeardownAsync(ProvisionTask task, IReadOnlyList<ProvisionWork> parts,
        CancellationToken cancellationToken)
    {
        var skipped = new List<string>();
        var errors = new List<string>();
        foreach (var part in parts)
        {
            var outcome = await ProvisionOneAsync(
                task with { Environment = part.Environment ?? task.Environment, Work = part, RootStack = null },
                cancellationToken).ConfigureAwait(false);
            skipped.AddRange(outcome.Skipped);
            if (outcome.Error is { } error)
            {
                errors.Add($"{part.Kind.ToStored()} {part.Name}: {error}");
            }
        }

        return errors.Count == 0 ? ProvisionOutcome.Done(null, skipped) : ProvisionOutcome.Failed(string.Join("; ", errors), skipped);
    }

    private async Task<ProvisionOutcome> ProvisionOneAsync(ProvisionTask task, CancellationToken cancellationToken) =>
        (task.Work.Kind, task.Work.Action) switch
        {
            (ResourceKind.Auth, ProvisionAction.Create) => await _auth.CreateOrUpdateAsync(task, update: false, cancellationToken)
                .ConfigureAwait(false),
            (ResourceKind.Auth, ProvisionAction.Update) => await _auth.CreateOrUpdateAsync(task, update: true, cancellationToken)
                .ConfigureAwait(false),
            (ResourceKind.Auth, ProvisionAction.Import) => await _auth.ImportAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Auth, ProvisionAction.Delete) => await _auth.DeleteAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Storage, ProvisionAction.Create or ProvisionAction.Update) =>
                await _storage.CreateOrUpdateAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Storage, ProvisionAction.Import) => await _storage.ImportAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Api, ProvisionAction.Create) => await _api.CreateOrUpdateAsync(task, update: false, cancellationToken)
                .ConfigureAwait(false),
            (ResourceKind.Api, ProvisionAction.Update) => await _api.CreateOrUpdateAsync(task, update: true, cancellationToken)
                .ConfigureAwait(false),
            (ResourceKind.Api, ProvisionAction.Delete) => await _api.DeleteAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Storage, ProvisionAction.Delete) => await _storage.DeleteAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Root, ProvisionAction.Create) => await _roles.CreateAsync(task, cancellationToken).ConfigureAwait(false),
            (ResourceKind.Root, ProvisionAction.Delete) => await _roles.DeleteAsync(task, cancellationToken).ConfigureAwait(false),
            _ => ProvisionOutcome.Done(null),
        };

    public void Dispose()
    {
        _clients.Dispose();
        _storage.Dispose();
        _api.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: skipped {Step}, which {Where} does not implement")]
    private static partial void LogSkipped(ILogger logger, string jobId, string step, string where);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string jobId, string error);
}
