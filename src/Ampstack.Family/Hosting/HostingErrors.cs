using Ampstack.Aws.Errors;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;
using Ampstack.Family.Common;
using Ampstack.Family.Hosting.Api;

namespace Ampstack.Family.Hosting;

/// <summary>The one table from domain refusals to Amplify Hosting's modelled errors.</summary>
internal static class HostingErrors
{
    public static AwsErrorException? Translate(Exception exception) => exception switch
    {
        DomainException { Kind: DomainErrorKind.NotFound } domain => new NotFoundException(domain.Message),
        DomainException { Kind: DomainErrorKind.LimitExceeded } domain => new LimitExceededException(domain.Message),
        DomainException domain => new BadRequestException(domain.Message),
        StoreConflictException conflict => new BadRequestException(Refusals.From(conflict).Message),
        StoreUnavailableException store => FamilyErrors.Unavailable(store),
        _ => null,
    };

    /// <summary>The tag operations' error for an app or branch that does not exist (their model's 404).</summary>
    public static AwsErrorException ResourceNotFound(string message) =>
        new ResourceNotFoundException(message, code: nameof(ResourceNotFoundException));

    /// <summary>An operation of the model Ampstack does not serve (builds, deployments, domains, webhooks).</summary>
    public static AwsErrorException Unsupported(Aws.Model.Operation operation) =>
        new BadRequestException(
            $"{operation.Name} is not supported by Ampstack: it serves apps, backend environments, branches and tags of Amplify Hosting.");

    /// <summary>The service's error for a request the wire layer refuses as unreadable or not fitting the model.</summary>
    public static AwsErrorException BadRequest(string message) => new BadRequestException(message);

    /// <summary>The service's error for a request that matches none of its operations.</summary>
    public static AwsErrorException NoRoute(string message) => new NotFoundException(message);
}
