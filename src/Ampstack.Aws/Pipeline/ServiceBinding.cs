using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.Protocols;
using Ampstack.Aws.RestJson;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// A service as the wire layer serves it: its model and protocol, one typed handler per operation served, the JSON
/// metadata of its shapes, the translation of its own refusals into modelled errors, and its departures from the protocol
/// (<see cref="ServiceOptions"/>). Built once at start, where a model and an implementation that disagree stop the server
/// with a message naming the difference.
/// </summary>
public sealed class ServiceBinding
{
    private readonly Dictionary<string, OperationHandler> _handlers;
    private readonly Func<Exception, AwsErrorException?> _translate;

    /// <param name="model">The service model.</param>
    /// <param name="shapes">Metadata for the shape types, property names being the model's member names.</param>
    /// <param name="handlers">
    /// One per operation of the model, or per operation served when <see cref="ServiceOptions.Unsupported"/> answers the rest.
    /// </param>
    /// <param name="translate">The modelled error for an exception of the service, or null for a failure (a 500).</param>
    /// <param name="options">How the service departs from its protocol's defaults.</param>
    public ServiceBinding(
        ServiceModel model,
        IJsonTypeInfoResolver shapes,
        IEnumerable<OperationHandler> handlers,
        Func<Exception, AwsErrorException?> translate,
        ServiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(handlers);
        Model = model;
        Options = options ?? new ServiceOptions();
        Codec = new ShapeCodec(model, shapes);
        Protocol = WireProtocol.For(model, Options);
        _translate = translate;
        _handlers = new(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            var operation = model.Operations.GetValueOrDefault(handler.Operation)
                ?? throw new InvalidOperationException($"{handler.Operation} is not an operation of the {model.ServiceId} model.");
            if (!_handlers.TryAdd(handler.Operation, handler))
            {
                throw new InvalidOperationException($"{handler.Operation} has two handlers.");
            }

            Codec.Verify(handler.InputType, operation.Input ?? throw new NotSupportedException($"{operation.Name} has no input shape."));
            Codec.Verify(handler.OutputType,
                operation.Output ?? throw new NotSupportedException($"{operation.Name} has no output shape."));
        }

        var missing = model.Operations.Keys.Where(name => !_handlers.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0 && Options.Unsupported is null)
        {
            throw new InvalidOperationException($"No handler for {string.Join(", ", missing)}.");
        }
    }

    public ServiceModel Model { get; }

    public ServiceOptions Options { get; }

    /// <summary>How the service's requests and answers travel.</summary>
    public WireProtocol Protocol { get; }

    /// <summary>The one engine between typed shapes and the member-keyed form every protocol reads and writes.</summary>
    public ShapeCodec Codec { get; }

    /// <summary>The name SigV4 credential scopes give the service.</summary>
    public string SigningName => Model.SigningName;

    /// <summary>The service's own error for a refusal of the wire layer.</summary>
    public AwsErrorException Refusal(WireRefusalException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Kind == WireRefusalKind.NoRoute ? Options.NoRoute(refusal.Message) : Options.BadRequest(refusal.Message);
    }

    /// <summary>The error for a caller over the rate limit, who may try again after <paramref name="retryAfter"/>.</summary>
    public AwsErrorException Throttled(TimeSpan retryAfter) => Options.Throttled(retryAfter);

    /// <summary>
    /// Runs the operation on an input the parser has validated (keyed by member names) and returns its typed output with
    /// the output's type. The service's own refusals come out as <see cref="AwsErrorException"/>.
    /// </summary>
    public async Task<(object Output, Type Type)> InvokeAsync(
        AwsRequestContext context, JsonObject input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (!_handlers.TryGetValue(context.Operation.Name, out var handler))
        {
            throw Options.Unsupported!(context.Operation);
        }

        try
        {
            if (Options.CheckPathParameter is { } check)
            {
                foreach (var member in context.Operation.Input!.MembersAt(MemberLocation.Uri))
                {
                    check(member, (string?)input[member.Name] ?? "");
                }
            }

            var output = await handler.InvokeAsync(context, Codec.Read(handler.InputType, input), cancellationToken).ConfigureAwait(false);
            return (output, handler.OutputType);
        }
        catch (Exception ex) when (_translate(ex) is { } error)
        {
            throw error;
        }
    }
}
