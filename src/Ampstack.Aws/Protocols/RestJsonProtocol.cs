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
        return RequestParser.Parse(match.Operation, match.Labels, request.Query, request.Body, request.Http.Headers);
    }

    public override Task WriteOutputAsync(HttpContext http, ShapeCodec codec, Operation operation, Type outputType, object output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(codec);
        if (options.OutputsGivenAgain.Contains(operation.Name))
        {
            http.Response.StatusCode = operation.ResponseCode;
            return WriteBodyAsync(http, JsonContentType, codec.WriteOnce(outputType, output));
        }

        return WriteJsonOutputAsync(http, codec, outputType, output, operation.ResponseCode, JsonContentType, cancellationToken);
    }

    public override Task WriteErrorAsync(HttpContext http, ServiceModel model, AwsErrorException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (status, body) = ErrorSerializer.Serialize(model, error);
        return WriteJsonErrorAsync(http, error, status, error.ErrorType, JsonContentType, body);
    }
}
