namespace Ampstack.Domain.Common;

/// <summary>The <c>resourceType</c> values of NotFound errors.</summary>
public static class ResourceTypes
{
    public const string App = "App";
    public const string BackendEnvironment = "BackendEnvironment";
    public const string BackendAuth = "BackendAuth";
    public const string BackendApi = "BackendAPI";
    public const string BackendStorage = "BackendStorage";
    public const string BackendJob = "BackendJob";
    public const string BackendConfig = "BackendConfig";
    public const string Token = "Token";
}
