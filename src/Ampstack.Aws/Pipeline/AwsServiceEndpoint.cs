using System.Buffers;
using System.Diagnostics;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Auth;
using Ampstack.Aws.RestJson;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// The whole AWS request pipeline, in order:
/// 1. request id (<c>x-amzn-RequestId</c> on every response) and CORS headers;
/// 2. <c>OPTIONS</c> answers a CORS preflight for any route of the service;
/// 3. body, at most <see cref="MaxBodyBytes"/> (400 beyond);
/// 4. authentication by the <see cref="IRequestAuthenticator"/> chosen at composition, over the raw path and the exact
///    bytes received (403 in AWS's common error shapes; as with AWS, before the route is known);
/// 5. the caller's account rate limit (429 with <c>Retry-After</c>, in the service's throttling error);
/// 6. route from the model's <c>requestUri</c> (404 when nothing matches);
/// 7. parse and validate against the input shape (400), invoke the operation's typed handler through the
///    <see cref="ServiceBinding"/>, write its output shape (200);
/// any <see cref="AwsErrorException"/> becomes the modelled error response; anything else is logged and answered 500.
/// </summary>
public sealed partial class AwsServiceEndpoint(
    ServiceBinding service,
    OperationRouter router,
    IRequestAuthenticator authenticator,
    AccountRateLimiter rateLimiter,
    IRequestObserver observer,
    ILogger<AwsServiceEndpoint> logger)
{
    /// <summary>The largest request body accepted (1 MiB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private const string JsonContentType = "application/json";

    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = Guid.NewGuid().ToString();
        var response = http.Response;
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-apigw-id,Date";
        var request = http.Request;
        var path = RawPath(http);
        AwsRequestContext? context = null;
        string? operation = null;
        try
        {
            if (request.Method == HttpMethods.Options)
            {
                AnswerPreflight(http, path);
                return;
            }

            var body = await ReadBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
            var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
            var caller = authenticator.Authenticate(new SignedRequest(request.Method, path, rawQuery, request.Headers, body));
            if (rateLimiter.TryAcquire(caller.AccountId) is { } wait)
            {
                throw service.Throttled(wait);
            }

            var match = router.Match(request.Method, path) ?? throw ProtocolErrors.NoRoute(request.Method, path);
            operation = match.Operation.Name;
            var query = request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? "")));
            var input = RequestParser.Parse(match.Operation, match.Labels, query, body);
            context = new AwsRequestContext(requestId, caller, match.Operation);
            using var answer = await service.InvokeAsync(context, input, http.RequestAborted).ConfigureAwait(false);
            response.StatusCode = match.Operation.ResponseCode;
            response.ContentType = JsonContentType;
            response.ContentLength = answer.Length;
            await answer.CopyToAsync(response.Body, http.RequestAborted).ConfigureAwait(false);
        }
        catch (AwsErrorException error)
        {
            await WriteErrorAsync(http, error).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (IOException ex) when (!response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            // Kestrel could not read the request: bad chunked framing (BadHttpRequestException), a chunk size past
            // int.MaxValue (a plain IOException around an OverflowException), a body cut short.
            await WriteErrorAsync(http, ProtocolErrors.BadRequest($"The request could not be read: {ex.Message}")).ConfigureAwait(false);
        }
        catch (Exception ex) when (!response.HasStarted)
        {
            LogUnhandled(logger, ex, request.Method, path, requestId);
            await WriteErrorAsync(http, CommonErrors.InternalFailure(requestId)).ConfigureAwait(false);
        }
        finally
        {
            context?.ReleaseHeld();
            observer.Answered(operation, response.StatusCode, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// The path as the client sent it, still percent-encoded: the router decodes each segment once, so an encoded
    /// <c>/</c> or <c>%</c> inside an identifier stays part of it. (<see cref="HttpRequest.Path"/> is already decoded.)
    /// </summary>
    private static string RawPath(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            return http.Request.Path.Value ?? "/";
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        return raw.StartsWith('/') ? raw : Uri.TryCreate(raw, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : "/";
    }

    private void AnswerPreflight(HttpContext http, string path)
    {
        if (!router.PathExists(path))
        {
            throw ProtocolErrors.NoRoute(http.Request.Method, path);
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "GET,POST,OPTIONS";
        var requested = http.Request.Headers.AccessControlRequestHeaders.ToString();
        headers.AccessControlAllowHeaders = requested.Length > 0
            ? requested
            : "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent";
        headers.AccessControlMaxAge = "86400";
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = 0;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBodyBytes)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static AwsErrorException TooLarge() =>
        ProtocolErrors.BadRequest($"The request body is larger than the limit of {MaxBodyBytes} bytes.");

    private async Task WriteErrorAsync(HttpContext http, AwsErrorException error)
    {
        var (status, body) = ErrorSerializer.Serialize(service.Model, error);
        var response = http.Response;
        response.StatusCode = status;
        response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        foreach (var (name, value) in error.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, CancellationToken.None).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure in {Method} {Path} (request {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
