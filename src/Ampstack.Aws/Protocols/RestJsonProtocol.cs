using System.Text.Json.Nodes;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;

namespace Ampstack.Aws.Protocols;

/// <summary>
/// rest-json (AmplifyBackend, Amplify Hosting): routes from each operation's <c>requestUri</c>, input from path, query and a
/// JSON body, output as JSON with the model's wire names, errors as <c>x-amzn-ErrorType</c> with a JSON body.
/// </summary>
public sealed class RestJsonProtocol(ServiceModel model, ServiceOptions options) : WireProtocol
{
    private const string JsonContentType = "application/json";
    private readonly OperationRouter _router = new(model, options.AcceptStagePrefix);

    public override bool Claims(WireRequest request) => _router.PathExists(request.Path);

    public override bool PathExists(string path) => _router.PathExists(path);

    public override RouteMatch? Route(WireRequest request) => _router.Match(request.Http.Method, request.Path, request.Query);

    public override JsonObject ParseInput(RouteMatch match, WireRequest request)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(request);
        return RequestParser.Parse(match.Operation, match.Labels, request.Query, request.Body, request.Header);
    }

    public override async Task WriteOutputAsync(HttpContext http, ShapeCodec codec, Operation operation, Type outputType, object output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(operation);
        using var answer = codec.Write(outputType, output);
        var response = http.Response;
        response.StatusCode = operation.ResponseCode;
        response.ContentType = JsonContentType;
        response.ContentLength = answer.Length;
        await answer.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
    }

    public override async Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(error);
        var (status, body) = ErrorSerializer.Serialize(model, error);
        var response = http.Response;
        response.StatusCode = status;
        response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        await WriteBodyAsync(http, JsonContentType, body).ConfigureAwait(false);
    }
}
