namespace Ampstack.Domain.Hosting;

/// <summary>
/// What Amplify Hosting keeps of an app besides the Admin API's name and environments: set by CreateApp and UpdateApp,
/// defaults for an app that CreateBackend made. Stored with the app as JSON (the <c>hosting</c> column).
/// </summary>
public sealed record HostingSettings
{
    public string? Description { get; init; }

    public string? Repository { get; init; }

    /// <summary><c>WEB</c>, <c>WEB_DYNAMIC</c> or <c>WEB_COMPUTE</c>.</summary>
    public string Platform { get; init; } = "WEB";

    public string? IamServiceRoleArn { get; init; }

    // Collections read from JSON that lacks them, or holds null, are empty rather than null.
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get => field ?? Empty.Map; init; }

    public IReadOnlyDictionary<string, string> Tags { get => field ?? Empty.Map; init; }

    public bool EnableBranchAutoBuild { get; init; }

    public bool EnableBranchAutoDeletion { get; init; }

    public bool EnableBasicAuth { get; init; }

    public string? BuildSpec { get; init; }

    public string? CustomHeaders { get; init; }

    /// <summary>Epoch milliseconds of the last change; null until the first.</summary>
    public long? UpdatedAt { get; init; }

    /// <summary>The app's branches, in creation order.</summary>
    public IReadOnlyList<BranchRecord> Branches { get => field ?? []; init; }
}

/// <summary>A branch of an Amplify Hosting app.</summary>
public sealed record BranchRecord
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary><c>PRODUCTION</c>, <c>BETA</c>, <c>DEVELOPMENT</c>, <c>EXPERIMENTAL</c> or <c>PULL_REQUEST</c>.</summary>
    public string Stage { get; init; } = "NONE";

    public string? Framework { get; init; }

    public string? DisplayName { get; init; }

    public bool EnableAutoBuild { get; init; } = true;

    public bool EnableNotification { get; init; }

    public bool EnablePullRequestPreview { get; init; }

    public string? BackendEnvironmentArn { get; init; }

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get => field ?? Empty.Map; init; }

    public IReadOnlyDictionary<string, string> Tags { get => field ?? Empty.Map; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }
}

/// <summary>The empty collections the records fall back to.</summary>
internal static class Empty
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>();
}
