using System.Text.Json.Nodes;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Protocols;

/// <summary>
/// The json protocol (botocore's <c>json</c>, versions 1.0 and 1.1): every request is a <c>POST /</c> whose
/// <c>X-Amz-Target: TargetPrefix.OperationName</c> names the operation and whose body is the whole input as JSON with the
/// model's wire names; answers are JSON in <c>application/x-amz-json-VERSION</c>; errors carry their code both as
/// <c>x-amzn-ErrorType</c> and as the body's <c>__type</c>, beside <c>message</c>.
/// </summary>
public sealed class JsonProtocol(ServiceModel model) : WireProtocol
{
    /// <summary>The header that names the operation.</summary>
    public const string TargetHeader = "X-Amz-Target";

    /// <summary>The content type of the model's json version.</summary>
    public static string ContentType(ServiceModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return "application/x-amz-json-" + (model.JsonVersion ?? "1.0");
    }

    /// <summary>The <c>X-Amz-Target</c> value that names <paramref name="operation"/>.</summary>
    public static string Target(ServiceModel model, Operation operation)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(operation);
        return model.TargetPrefix is { } prefix ? $"{prefix}.{operation.Name}" : operation.Name;
    }

    public override bool Claims(WireRequest request) => Operation(request) is not null;

    public override bool PathExists(string path) => path is "/" or "";

    public override RouteMatch? Route(WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Header(TargetHeader) is null)
        {
            throw ProtocolErrors.BadRequest($"The request names no operation ({TargetHeader}).");
        }

        return Operation(request) is { } operation && request.Http.Method == HttpMethods.Post
            ? new RouteMatch(operation, new Dictionary<string, string>())
            : null;
    }

    public override JsonObject ParseInput(RouteMatch match, WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(request);
        return RequestParser.Parse(match.Operation, new Dictionary<string, string>(), [], request.Body);
    }

    public override Task WriteOutputAsync(HttpContext http, ShapeCodec codec, Operation operation, Type outputType, object output,
        CancellationToken cancellationToken) =>
        WriteJsonOutputAsync(http, codec, outputType, output, StatusCodes.Status200OK, ContentType(model), cancellationToken);

    public override Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(error);
        var (status, body) = ErrorSerializer.Serialize(model, error, withType: true);
        return WriteJsonErrorAsync(http, error, status, ErrorSerializer.Code(model, error), ContentType(model), body);
    }

    /// <summary>The operation <c>X-Amz-Target</c> names, when it names one of the model's.</summary>
    private Operation? Operation(WireRequest request)
    {
        var target = request.Header(TargetHeader);
        if (target is null)
        {
            return null;
        }

        var dot = target.LastIndexOf('.');
        var prefix = dot < 0 ? null : target[..dot];
        var name = target[(dot + 1)..];
        return prefix == model.TargetPrefix && model.Operations.TryGetValue(name, out var operation) ? operation : null;
    }
}
