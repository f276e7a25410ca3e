namespace Ampstack.Domain.Apps;

/// <summary>What GetBackend reports about an app and one of its environments.</summary>
/// <param name="AppId">The app.</param>
/// <param name="AppName">Its name.</param>
/// <param name="Environment">The environment reported on.</param>
/// <param name="EnvironmentNames">All environment names, oldest first.</param>
/// <param name="AmplifyMetaConfig">amplify-meta.json of the environment.</param>
/// <param name="AmplifyFeatureFlags">cli.json of the app.</param>
public sealed record BackendDetails(
    string AppId,
    string AppName,
    string Environment,
    IReadOnlyList<string> EnvironmentNames,
    string AmplifyMetaConfig,
    string AmplifyFeatureFlags);
