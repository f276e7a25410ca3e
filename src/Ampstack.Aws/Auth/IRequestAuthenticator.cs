namespace Ampstack.Aws.Auth;

/// <summary>
/// The authentication step of the pipeline: who sent a request, or an <see cref="Errors.AwsErrorException"/> with AWS's
/// common 403 errors. Chosen at composition: <see cref="LenientAuthenticator"/> or <see cref="StrictAuthenticator"/>.
/// </summary>
public interface IRequestAuthenticator
{
    /// <summary>The start-up line's description, e.g. <c>auth lenient (any credentials)</c>.</summary>
    string Description { get; }

    CallerIdentity Authenticate(SignedRequest request);
}
