using Ampstack.AmplifyBackend.Api;
using Ampstack.AmplifyBackend.Mapping;
using Ampstack.AmplifyBackend.Operations;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Pipeline;
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
        // Every path parameter of the service names something a client chose: an app, an environment, a job, a session.
        (member, value) => Identifiers.Require(value, member.WireName),
        retryAfter => new AwsErrorException("TooManyRequestsException", "Rate exceeded: too many requests for this account.",
            new Dictionary<string, string> { ["LimitType"] = "requests" }) { Headers = CommonErrors.RetryAfter(retryAfter) });
}
