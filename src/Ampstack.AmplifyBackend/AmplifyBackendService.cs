using Ampstack.AmplifyBackend.Api;
using Ampstack.AmplifyBackend.Mapping;
using Ampstack.AmplifyBackend.Operations;
using Ampstack.Aws.Model;
using Ampstack.Aws.Pipeline;
using Ampstack.Aws.Protocols;
using Ampstack.Domain.Common;

namespace Ampstack.AmplifyBackend;

/// <summary>
/// AmplifyBackend as the wire layer serves it: the model, the provider's typed operations, the error table, and where it
/// departs from rest-json (<see cref="Options"/>).
/// </summary>
public static class AmplifyBackendService
{
    /// <summary>
    /// The API Gateway stage prefix, path parameters checked as identifiers, and the service's own errors for the wire
    /// layer's refusals and for throttling (<see cref="ErrorMapper"/>).
    /// </summary>
    public static ServiceOptions Options { get; } = new()
    {
        AcceptStagePrefix = true,
        CheckPathParameter = CheckPathParameter,
        Throttled = ErrorMapper.Throttled,
        BadRequest = ErrorMapper.BadRequest,
        NoRoute = ErrorMapper.NoRoute,
        // The provider gives the same response for an answer the domain keeps per app revision.
        OutputsGivenAgain = new HashSet<string>(StringComparer.Ordinal) { "GetBackend", "GetBackendJob", "ListBackendJobs" },
    };

    public static ServiceBinding Bind(AmplifyBackendProvider provider) => new(
        AmplifyBackendModel.Instance,
        AmplifyBackendJsonContext.Default,
        AmplifyBackendOperations.Handlers(provider),
        ErrorMapper.Translate,
        Options);

    /// <summary>Every path parameter of the service names something a client chose: an app, an environment, a job, a session.</summary>
    private static void CheckPathParameter(Member member, string value) => Identifiers.Require(value, member.WireName);
}
