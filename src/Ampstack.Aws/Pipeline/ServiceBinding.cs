using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// A service as the wire layer serves it: its model, one typed handler per operation, the JSON metadata of its shapes,
/// the translation of its own refusals into modelled errors, and a check every path parameter must pass. Built once at
/// start, where a model and an implementation that disagree stop the server with a message naming the difference.
/// </summary>
public sealed class ServiceBinding
{
    private readonly Dictionary<string, OperationHandler> _handlers;
    private readonly ShapeCodec _codec;
    private readonly Func<Exception, AwsErrorException?> _translate;
    private readonly Action<Member, string>? _checkPathParameter;
    private readonly Func<TimeSpan, AwsErrorException> _throttled;

    /// <param name="model">The service model.</param>
    /// <param name="shapes">Metadata for the shape types, property names being the model's member names.</param>
    /// <param name="handlers">Exactly one per operation of the model.</param>
    /// <param name="translate">The modelled error for an exception of the service, or null for a failure (a 500).</param>
    /// <param name="checkPathParameter">Throws (something <paramref name="translate"/> knows) for a path value the service refuses.</param>
    /// <param name="throttled">
    /// The service's error for a caller over the rate limit, given how long to wait (default: AWS's common ThrottlingException).
    /// </param>
    public ServiceBinding(
        ServiceModel model,
        IJsonTypeInfoResolver shapes,
        IEnumerable<OperationHandler> handlers,
        Func<Exception, AwsErrorException?> translate,
        Action<Member, string>? checkPathParameter = null,
        Func<TimeSpan, AwsErrorException>? throttled = null)
    {
        _throttled = throttled ?? CommonErrors.Throttling;
        Model = model;
        _codec = new ShapeCodec(model, shapes);
        _translate = translate;
        _checkPathParameter = checkPathParameter;
        _handlers = new(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            var operation = model.Operations.GetValueOrDefault(handler.Operation)
                ?? throw new InvalidOperationException($"{handler.Operation} is not an operation of the {model.ServiceId} model.");
            if (!_handlers.TryAdd(handler.Operation, handler))
            {
                throw new InvalidOperationException($"{handler.Operation} has two handlers.");
            }

            _codec.Verify(handler.InputType, operation.Input ?? throw new NotSupportedException($"{operation.Name} has no input shape."));
            _codec.Verify(handler.OutputType,
                operation.Output ?? throw new NotSupportedException($"{operation.Name} has no output shape."));
        }

        var missing = model.Operations.Keys.Where(name => !_handlers.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"No handler for {string.Join(", ", missing)}.");
        }
    }

    public ServiceModel Model { get; }

    /// <summary>The error for a caller over the rate limit, who may try again after <paramref name="retryAfter"/>.</summary>
    public AwsErrorException Throttled(TimeSpan retryAfter) => _throttled(retryAfter);

    /// <summary>
    /// Runs the operation on an input the parser has validated (keyed by member names) and returns its body; the caller
    /// sends and disposes it. The service's own refusals come out as <see cref="AwsErrorException"/>.
    /// </summary>
    public async Task<PooledBody> InvokeAsync(AwsRequestContext context, JsonObject input, CancellationToken cancellationToken)
    {
        var handler = _handlers[context.Operation.Name];
        try
        {
            if (_checkPathParameter is not null)
            {
                foreach (var member in context.Operation.Input!.Members.Where(m => m.Location == MemberLocation.Uri))
                {
                    _checkPathParameter(member, (string?)input[member.Name] ?? "");
                }
            }

            var output = await handler.InvokeAsync(context, _codec.Read(handler.InputType, input), cancellationToken).ConfigureAwait(false);
            return _codec.Write(handler.OutputType, output);
        }
        catch (Exception ex) when (_translate(ex) is { } error)
        {
            throw error;
        }
    }
}
