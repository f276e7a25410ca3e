using Ampstack.Aws.Auth;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Protocols;

/// <summary>How one service departs from its protocol's defaults; everything has a default, so most services set nothing.</summary>
public sealed record ServiceOptions
{
    /// <summary>Accept <c>/prod</c> before every path (AmplifyBackend's API Gateway stage).</summary>
    public bool AcceptStagePrefix { get; init; }

    /// <summary>
    /// The service takes a request only when its credential scope or its host (<see cref="HostLabel"/>) names it, never
    /// by path alone: S3, whose path-style routes start with any bucket name and so would match every path.
    /// </summary>
    public bool SelectedBySignatureOrHost { get; init; }

    /// <summary>
    /// For a virtual-host-style request (<c>bucket.localhost:4580</c>), the path segment the host stands for (S3's bucket),
    /// or null when the host names none.
    /// </summary>
    public Func<string, string?>? HostLabel { get; init; }

    /// <summary>True when the service's signers sign the path as sent (S3).</summary>
    public bool PathSignedAsSent { get; init; }

    /// <summary>The root element of an operation's XML answer (rest-xml); the output shape's name otherwise.</summary>
    public IReadOnlyDictionary<string, string> XmlRootNames { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The service's error for a request the wire layer refuses as unreadable or not fitting the model (the message says
    /// why): the bad-request error of the service's model, S3's <c>InvalidArgument</c>; AWS's common
    /// <c>ValidationError</c> by default.
    /// </summary>
    public Func<string, AwsErrorException> BadRequest { get; init; } = CommonErrors.ValidationError;

    /// <summary>
    /// The service's error for a request that matches none of its operations (the message names the method and path);
    /// AWS's common <c>InvalidAction</c> by default.
    /// </summary>
    public Func<string, AwsErrorException> NoRoute { get; init; } = CommonErrors.InvalidAction;

    /// <summary>
    /// The codes AWS's common errors (<see cref="CommonErrors"/>: the authentication refusals) travel under in this
    /// service, where it names them otherwise: S3's <c>SignatureDoesNotMatch</c>, the query services'
    /// <c>InvalidClientTokenId</c>.
    /// </summary>
    public IReadOnlyDictionary<string, (string Code, int Status)> WireErrorCodes { get; init; } =
        new Dictionary<string, (string, int)>();

    /// <summary>The service's error for a caller over the rate limit (default: AWS's common ThrottlingException).</summary>
    public Func<TimeSpan, AwsErrorException> Throttled { get; init; } = CommonErrors.Throttling;

    /// <summary>Throws (something the service's translation knows) for a path value the service refuses.</summary>
    public Action<Member, string>? CheckPathParameter { get; init; }

    /// <summary>
    /// The answer for a request of this service that matches no operation served (e.g. S3's <c>AccessDenied</c> for a
    /// write to a read-only bucket); the wire layer's 404 otherwise.
    /// </summary>
    public Func<CallerIdentity, WireRequest, CancellationToken, Task<AwsErrorException>>? Unrouted { get; init; }

    /// <summary>
    /// Operations whose handler gives the very same output instance again for as long as what it was made from stays,
    /// and never changes an output once given: each such output is written to the wire once and its bytes are sent again
    /// (rest-json). Any other output is written anew for every answer.
    /// </summary>
    public IReadOnlySet<string> OutputsGivenAgain { get; init; } = new HashSet<string>();

    /// <summary>The error for an operation of the model that the service does not serve.</summary>
    public Func<Operation, AwsErrorException>? Unsupported { get; init; }
}
