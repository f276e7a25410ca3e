using System.Buffers;
using System.Diagnostics;
using Ampstack.Aws.Auth;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Protocols;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// The whole AWS request pipeline, for every service the port answers, in order:
/// 1. request id (<c>x-amzn-RequestId</c> and <c>x-amz-request-id</c> on every response) and CORS headers;
/// 2. the service (<see cref="ServiceDirectory"/>: the credential scope's, else by the request's shape);
/// 3. <c>OPTIONS</c> answers a CORS preflight for any route;
/// 4. body, at most <see cref="MaxBodyBytes"/> (400 beyond);
/// 5. authentication by the <see cref="IRequestAuthenticator"/> chosen at composition, over the raw path and the exact
///    bytes received (403 in AWS's common error codes; as with AWS, before the route is known);
/// 6. the caller's account rate limit (429 with <c>Retry-After</c>, in the service's throttling error);
/// 7. route through the service's protocol (404, or the service's own answer for what it does not serve);
/// 8. parse and validate against the input shape (400), invoke the operation's typed handler through the
///    <see cref="ServiceBinding"/>, write its output shape in the service's protocol;
/// any <see cref="AwsErrorException"/> becomes the protocol's error response, a refusal of the wire layer
/// (<see cref="WireRefusalException"/>) first becomes the service's own error for it; anything else is logged and answered 500.
/// </summary>
public sealed partial class AwsServiceEndpoint(
    ServiceDirectory services,
    IRequestAuthenticator authenticator,
    AccountRateLimiter rateLimiter,
    IRequestObserver observer,
    ILogger<AwsServiceEndpoint> logger)
{
    /// <summary>The largest request body accepted (1 MiB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var requestId = Guid.NewGuid().ToString();
        var response = http.Response;
        response.Headers["x-amzn-RequestId"] = requestId;
        response.Headers["x-amz-request-id"] = requestId;
        response.Headers.AccessControlAllowOrigin = "*";
        response.Headers.AccessControlExposeHeaders =
            "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-apigw-id,Date,ETag,Content-Length,Content-Range,Last-Modified";
        var request = http.Request;
        var path = RawPath(http);
        var rawQuery = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        var query = rawQuery.Length == 0 ? [] : SigV4.ParseQuery(rawQuery);
        var service = services.Services[0];
        AwsRequestContext? context = null;
        string? operation = null;
        try
        {
            if (request.Method == HttpMethods.Options)
            {
                service = services.SelectForPreflight(path);
                AnswerPreflight(http, service, path);
                return;
            }

            var body = await ReadBodyAsync(request, http.RequestAborted).ConfigureAwait(false);
            var wire = new WireRequest(request, path, query, body);
            service = services.Select(wire);
            if (service.Options.HostLabel?.Invoke(request.Host.Host) is { } label)
            {
                wire = wire with { Path = "/" + Uri.EscapeDataString(label) + (path == "/" ? "" : path) };
            }

            var caller = authenticator.Authenticate(new SignedRequest(request.Method, path, rawQuery, request.Headers, body)
            {
                Service = service.SigningName,
                PathSignedAsSent = service.Options.PathSignedAsSent,
            });
            if (rateLimiter.TryAcquire(caller.AccountId) is { } wait)
            {
                throw service.Throttled(wait);
            }

            var match = service.Protocol.Route(wire);
            if (match is null)
            {
                if (service.Options.Unrouted is { } unrouted)
                {
                    throw await unrouted(caller, wire, http.RequestAborted).ConfigureAwait(false);
                }

                throw ProtocolErrors.NoRoute(request.Method, path);
            }

            operation = match.Operation.Name;
            var input = service.Protocol.ParseInput(match, wire);
            context = new AwsRequestContext(requestId, caller, match.Operation);
            var (output, type) = await service.InvokeAsync(context, input, http.RequestAborted).ConfigureAwait(false);
            await service.Protocol.WriteOutputAsync(http, service.Codec, match.Operation, type, output, http.RequestAborted)
                .ConfigureAwait(false);
        }
        catch (AwsErrorException error) when (!response.HasStarted)
        {
            await service.Protocol.WriteErrorAsync(http, service.Model, error, requestId).ConfigureAwait(false);
        }
        catch (WireRefusalException refusal) when (!response.HasStarted)
        {
            await service.Protocol.WriteErrorAsync(http, service.Model, service.Refusal(refusal), requestId).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away (cancelled, or closed the connection in the middle of its body): there is nobody to
            // answer, and nothing failed here. Counted as nginx's 499, not as the 500 nobody receives.
            if (!response.HasStarted)
            {
                response.StatusCode = ClientClosedRequest;
            }
        }
        catch (IOException ex) when (!response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            // Kestrel could not read the request: bad chunked framing (BadHttpRequestException), a chunk size past
            // int.MaxValue (a plain IOException around an OverflowException), a body cut short.
            await service.Protocol.WriteErrorAsync(http, service.Model,
                service.Options.BadRequest($"The request could not be read: {ex.Message}"), requestId).ConfigureAwait(false);
        }
        catch (Exception ex) when (!response.HasStarted)
        {
            LogUnhandled(logger, ex, request.Method, path, requestId);
            await service.Protocol.WriteErrorAsync(http, service.Model, CommonErrors.InternalFailure(requestId), requestId)
                .ConfigureAwait(false);
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

    private static void AnswerPreflight(HttpContext http, ServiceBinding service, string path)
    {
        if (!service.Protocol.PathExists(path))
        {
            throw ProtocolErrors.NoRoute(http.Request.Method, path);
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "GET,HEAD,POST,PUT,DELETE,OPTIONS";
        var requested = http.Request.Headers.AccessControlRequestHeaders.ToString();
        headers.AccessControlAllowHeaders = requested.Length > 0
            ? requested
            : "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,X-Amz-User-Agent";
        headers.AccessControlMaxAge = "86400";
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentLength = 0;
    }

    /// <summary>The status a request is counted under when its client left before the answer (nginx's 499).</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>
    /// A declared body up to this size is read into an array of its size; a larger one grows as it arrives, so that
    /// connections declaring large bodies and sending nothing hold nothing.
    /// </summary>
    private const int PresizedBodyBytes = 64 * 1024;

    /// <summary>
    /// The body, at most <see cref="MaxBodyBytes"/>: none at all for a request that cannot have one (a GET without
    /// Content-Length), read into an array of its size when its length is given and small, else gathered as it comes.
    /// </summary>
    private static async ValueTask<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        switch (request.ContentLength)
        {
            case > MaxBodyBytes:
                throw TooLarge();
            case 0:
                return ReadOnlyMemory<byte>.Empty;
            case { } length and <= PresizedBodyBytes:
                var exact = new byte[length];
                await request.Body.ReadExactlyAsync(exact, cancellationToken).ConfigureAwait(false);
                return exact;
        }

        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return ReadOnlyMemory<byte>.Empty;
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

    private static WireRefusalException TooLarge() =>
        ProtocolErrors.BadRequest($"The request body is larger than the limit of {MaxBodyBytes} bytes.");

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled failure in {Method} {Path} (request {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string requestId);
}
