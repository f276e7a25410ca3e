using Ampstack.Aws.Errors;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.AmplifyBackend.Mapping;

/// <summary>The one table from domain refusals to AmplifyBackend's modelled errors.</summary>
public static class ErrorMapper
{
    /// <summary>The modelled error for a refusal of the domain or the store; null for anything else (a failure).</summary>
    public static AwsErrorException? Translate(Exception exception) => exception switch
    {
        DomainException domain => ToAws(domain),
        StoreConflictException conflict => ToAws(Refusals.From(conflict)),
        StoreUnavailableException store => ToAws(store),
        _ => null,
    };

    public static AwsErrorException ToAws(DomainException error) => error.Kind switch
    {
        DomainErrorKind.NotFound => new AwsErrorException("NotFoundException", error.Message,
            error.ResourceType is null ? null : new Dictionary<string, string> { ["ResourceType"] = error.ResourceType }),
        _ => new AwsErrorException("BadRequestException", error.Message),
    };

    /// <summary>How long a client is asked to wait before it retries a write the store could not take.</summary>
    public static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A store that cannot work now (full or read-only disk): the service's retryable 429, limit type <c>storage</c>, with a
    /// <c>Retry-After</c> as the request-rate 429 has, so that clients and proxies that read it wait instead of hammering.
    /// </summary>
    public static AwsErrorException ToAws(StoreUnavailableException error) =>
        new("TooManyRequestsException", error.Message, new Dictionary<string, string> { ["LimitType"] = "storage" })
        {
            Headers = CommonErrors.RetryAfter(StorageRetryAfter),
        };
}
