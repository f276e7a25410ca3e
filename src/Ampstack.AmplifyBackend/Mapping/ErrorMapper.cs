using Ampstack.AmplifyBackend.Api;
using Ampstack.Aws.Errors;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;

namespace Ampstack.AmplifyBackend.Mapping;

/// <summary>
/// The one table from domain refusals to AmplifyBackend's modelled errors: the exceptions generated from the model's error
/// shapes, so an error or member the model renames breaks the build here.
/// </summary>
public static class ErrorMapper
{
    /// <summary>The <c>limitType</c> of a 429 for a store that cannot take writes now.</summary>
    public const string StorageLimit = "storage";

    /// <summary>The <c>limitType</c> of a 429 for a caller over the request rate.</summary>
    public const string RequestLimit = "requests";

    /// <summary>The modelled error for a refusal of the domain or the store; null for anything else (a failure).</summary>
    public static AwsErrorException? Translate(Exception exception) => exception switch
    {
        DomainException domain => ToAws(domain),
        StoreConflictException conflict => ToAws(Refusals.From(conflict)),
        StoreUnavailableException store => ToAws(store),
        _ => null,
    };

    public static AwsErrorException ToAws(DomainException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Kind switch
        {
            DomainErrorKind.NotFound => new NotFoundException(error.Message, resourceType: error.ResourceType),
            _ => new BadRequestException(error.Message),
        };
    }

    /// <summary>How long a client is asked to wait before it retries a write the store could not take.</summary>
    public static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A store that cannot work now (full or read-only disk): the service's retryable 429, limit type <c>storage</c>, with a
    /// <c>Retry-After</c> as the request-rate 429 has, so that clients and proxies that read it wait instead of hammering.
    /// </summary>
    public static AwsErrorException ToAws(StoreUnavailableException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new TooManyRequestsException(error.Message, limitType: StorageLimit)
        {
            Headers = CommonErrors.RetryAfter(StorageRetryAfter),
        };
    }

    /// <summary>The service's own throttling error, limit type <c>requests</c>, with <c>Retry-After</c>.</summary>
    public static AwsErrorException Throttled(TimeSpan retryAfter) =>
        new TooManyRequestsException("Rate exceeded: too many requests for this account.", limitType: RequestLimit)
        {
            Headers = CommonErrors.RetryAfter(retryAfter),
        };

    /// <summary>The service's error for a request the wire layer refuses as unreadable or not fitting the model.</summary>
    public static AwsErrorException BadRequest(string message) => new BadRequestException(message);

    /// <summary>The service's error for a request that matches none of its operations.</summary>
    public static AwsErrorException NoRoute(string message) => new NotFoundException(message);
}
