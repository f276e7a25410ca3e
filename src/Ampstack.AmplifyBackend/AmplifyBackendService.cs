using Ampstack.AmplifyBackend.Api;
using Ampstack.AmplifyBackend.Mapping;
using Ampstack.AmplifyBackend.Operations;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.Pipeline;
using Ampstack.Aws.Protocols;
using Ampstack.Domain.Common;

namespace Ampstack.AmplifyBackend;

/// <summary>AmplifyBackend as the wire layer serves it: the model, the provider's typed operations, the error table.</summary>
public static class AmplifyBackendService
{
    public static ServiceBinding Bind(AmplifyBackendProvider provider) => new(
        AmplifyBackendModel.Instance,
        AmplifyBackendJsonContext.Default,
        AmplifyBackendOperations.Handlers(provider),
        ErrorMapper.Translate,
        new ServiceOptions
        {
            AcceptStagePrefix = true,
            CheckPathParameter = CheckPathParameter,
            Throttled = Throttled,
        });

    /// <summary>Every path parameter of the service names something a client chose: an app, an environment, a job, a session.</summary>
    private static void CheckPathParameter(Member member, string value) => Identifiers.Require(value, member.WireName);

    /// <summary>The service's own throttling error, limit type <c>requests</c>, with <c>Retry-After</c>.</summary>
    private static AwsErrorException Throttled(TimeSpan retryAfter) =>
        new("TooManyRequestsException", "Rate exceeded: too many requests for this account.",
            new Dictionary<string, string> { ["LimitType"] = "requests" })
        {
            Headers = CommonErrors.RetryAfter(retryAfter),
        };
}
