namespace Ampstack.Aws.Client;

/// <summary>A call that did not succeed: the endpoint refused it, never answered it, or it was never sent.</summary>
public abstract class AwsClientException : Exception
{
    protected AwsClientException(string service, string operation, string message, Exception? inner = null)
        : base(message, inner)
    {
        Service = service;
        Operation = operation;
    }

    /// <summary>The model's service id (<c>Cognito Identity Provider</c>).</summary>
    public string Service { get; }

    /// <summary>The operation called (<c>CreateUserPool</c>).</summary>
    public string Operation { get; }
}
