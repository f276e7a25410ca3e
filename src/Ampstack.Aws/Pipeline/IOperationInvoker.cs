using System.Text.Json.Nodes;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// The service behind the wire layer: takes an operation's validated input (keyed by model member names) and returns its
/// output in the same form, or throws <see cref="Errors.AwsErrorException"/>.
/// </summary>
public interface IOperationInvoker
{
    Task<JsonObject?> InvokeAsync(AwsRequestContext context, JsonObject input, CancellationToken cancellationToken);
}
