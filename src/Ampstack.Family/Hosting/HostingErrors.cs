using Ampstack.Aws.Errors;
using Ampstack.Domain.Common;
using Ampstack.Domain.Storage;
using Ampstack.Family.Common;

namespace Ampstack.Family.Hosting;

/// <summary>The one table from domain refusals to Amplify Hosting's modelled errors.</summary>
internal static class HostingErrors
{
    public static AwsErrorException? Translate(Exception exception) => exception switch
    {
        DomainException { Kind: DomainErrorKind.NotFound } domain => new AwsErrorException("NotFoundException", domain.Message),
        DomainException domain => new AwsErrorException("BadRequestException", domain.Message),
        StoreConflictException conflict => new AwsErrorException("BadRequestException", Refusals.From(conflict).Message),
        StoreUnavailableException store => FamilyErrors.Unavailable(store),
        _ => null,
    };

    /// <summary>The tag operations' error for an app or branch that does not exist (their model's 404).</summary>
    public static AwsErrorException ResourceNotFound(string message) =>
        new("ResourceNotFoundException", message, new Dictionary<string, string> { ["code"] = "ResourceNotFoundException" });

    /// <summary>An operation of the model Ampstack does not serve (builds, deployments, domains, webhooks).</summary>
    public static AwsErrorException Unsupported(Aws.Model.Operation operation) =>
        new("BadRequestException",
            $"{operation.Name} is not supported by Ampstack: it serves apps, backend environments, branches and tags of Amplify Hosting.");
}
