using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Ampstack.Aws.Auth;
using Ampstack.Aws.Client.Wire;
using Ampstack.Aws.Model;
using Ampstack.Aws.RestJson;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ampstack.Aws.Client;

/// <summary>
/// Calls the operations of one service model on an AWS-compatible endpoint. A call goes:
/// 1. <see cref="RequestWriter"/>: the input, keyed by the model's member names, written as the model's protocol sends it
///    and validated by the serving side's parser (nothing is sent when it does not fit: <see cref="AwsRequestValidationException"/>);
/// 2. per attempt: signed with SigV4 (<see cref="SigV4Signer"/>, for the model's signing name and the options' region) and
///    sent, within <see cref="AwsClientOptions.AttemptTimeout"/>;
/// 3. a success is read by <see cref="ResponseReader"/> into the output keyed by member names; an error by
///    <see cref="ErrorReader"/> into an <see cref="AwsServiceException"/>;
/// 4. throttling, 429, 5xx and answers that never came are tried again (<see cref="RetryRules"/>) up to
///    <see cref="AwsClientOptions.MaxAttempts"/>, all within <see cref="AwsClientOptions.CallTimeout"/>; what is left
///    when they run out is thrown (<see cref="AwsServiceException"/>, <see cref="AwsTransportException"/>).
/// The caller's cancellation token is honoured at every step (an <see cref="OperationCanceledException"/> for it).
/// The client knows no service: what to call, with what, and what an answer means belong to the caller. It never logs
/// inputs or outputs (they may hold passwords and tokens).
/// </summary>
public sealed partial class AwsServiceClient : IDisposable
{
    private readonly AwsClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly string _endpointPath;
    private readonly ConcurrentDictionary<(Type, string), bool> _verified = new();

    /// <param name="model">The service's model.</param>
    /// <param name="options">Endpoint, region, credentials, timeouts and retries.</param>
    /// <param name="http">An HttpClient to share (its own timeout should be infinite); one is made and owned otherwise.</param>
    /// <param name="logger">Where retries are logged.</param>
    public AwsServiceClient(ServiceModel model, AwsClientOptions options, HttpClient? http = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Model = model;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _endpointPath = options.Endpoint.AbsolutePath.TrimEnd('/');
        _ownsHttp = http is null;
        _http = http ?? CreateHttpClient(options);
    }

    public ServiceModel Model { get; }

    /// <summary>An HttpClient fit for this client: connect timeout as the attempt timeout, no overall timeout of its own.</summary>
    public static HttpClient CreateHttpClient(AwsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Calls <paramref name="operationName"/> with an input keyed by member names; returns the output likewise.</summary>
    public async Task<JsonObject> InvokeAsync(string operationName, JsonObject input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var operation = Model.Operations.GetValueOrDefault(operationName)
            ?? throw new ArgumentException($"{operationName} is not an operation of the {Model.ServiceId} model.", nameof(operationName));
        var request = RequestWriter.Write(Model, operation, input);
        return await SendAsync(operation, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Calls <paramref name="operationName"/> with a typed input and returns the typed output, through
    /// <paramref name="codec"/> (the shapes' System.Text.Json metadata, property names being member names).
    /// </summary>
    public async Task<TOutput> InvokeAsync<TInput, TOutput>(string operationName, TInput input, ShapeCodec codec,
        CancellationToken cancellationToken)
        where TInput : notnull
        where TOutput : notnull
    {
        ArgumentNullException.ThrowIfNull(codec);
        var operation = Model.Operations.GetValueOrDefault(operationName)
            ?? throw new ArgumentException($"{operationName} is not an operation of the {Model.ServiceId} model.", nameof(operationName));
        Verify(codec, typeof(TInput), operation.Input, operationName);
        Verify(codec, typeof(TOutput), operation.Output, operationName);
        var output = await InvokeAsync(operationName, codec.ToMembers(typeof(TInput), input), cancellationToken).ConfigureAwait(false);
        return (TOutput)codec.Read(typeof(TOutput), output);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private void Verify(ShapeCodec codec, Type type, Shape? shape, string operationName)
    {
        if (shape is null)
        {
            throw new ArgumentException($"{operationName} has no shape for {type.Name}.");
        }

        _verified.GetOrAdd((type, shape.Name), _ =>
        {
            codec.Verify(type, shape);
            return true;
        });
    }

    private async Task<JsonObject> SendAsync(Operation operation, ClientRequest request, CancellationToken cancellationToken)
    {
        var time = _options.Time;
        using var callTimeout = new CancellationTokenSource(_options.CallTimeout, time);
        using var call = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callTimeout.Token);
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            TimeSpan? retryAfter = null;
            try
            {
                using var attemptTimeout = new CancellationTokenSource(_options.AttemptTimeout, time);
                using var attemptToken = CancellationTokenSource.CreateLinkedTokenSource(call.Token, attemptTimeout.Token);
                try
                {
                    var (status, header, body) = await SendOnceAsync(request, attemptToken.Token).ConfigureAwait(false);
                    if (status is >= 200 and < 300)
                    {
                        return Read(operation, status, header, body, attempt);
                    }

                    var error = ErrorReader.Read(Model, status, header, body);
                    var exception = new AwsServiceException(Model.ServiceId, operation.Name, error, attempt);
                    if (!RetryRules.IsRetryable(status, error.Code))
                    {
                        throw exception;
                    }

                    failure = exception;
                    retryAfter = error.RetryAfter;
                }
                catch (OperationCanceledException ex) when (!call.IsCancellationRequested)
                {
                    // The attempt's own time ran out (or the handler's connect timeout, which is the same length).
                    failure = new AwsTransportException(Model.ServiceId, operation.Name, _options.Endpoint, attempt, timedOut: true,
                        $"no answer within the attempt timeout of {_options.AttemptTimeout.TotalSeconds:0.###} s", ex);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"{Model.ServiceId} {operation.Name} was cancelled.", cancellationToken);
            }
            catch (OperationCanceledException ex) when (callTimeout.IsCancellationRequested)
            {
                throw new AwsTransportException(Model.ServiceId, operation.Name, _options.Endpoint, attempt, timedOut: true,
                    $"no answer within the call timeout of {_options.CallTimeout.TotalSeconds:0.###} s", ex);
            }
            catch (HttpRequestException ex)
            {
                failure = new AwsTransportException(Model.ServiceId, operation.Name, _options.Endpoint, attempt, timedOut: false,
                    $"could not reach the endpoint: {Reason(ex)}", ex);
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw failure;
            }

            var delay = RetryRules.Delay(_options, attempt + 1, retryAfter, Random.Shared.NextDouble());
            if (time.GetElapsedTime(started) + delay >= _options.CallTimeout)
            {
                throw failure; // the wait alone would outlast the call's time: say what failed instead of timing out
            }

            LogRetry(_logger, Model.ServiceId, operation.Name, attempt, _options.MaxAttempts, delay.TotalMilliseconds, failure.Message);
            try
            {
                await Task.Delay(delay, time, call.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"{Model.ServiceId} {operation.Name} was cancelled.", cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw failure;
            }
        }
    }

    private JsonObject Read(Operation operation, int status, Func<string, string?> header, byte[] body, int attempt)
    {
        try
        {
            return ResponseReader.Read(Model, operation, header, body);
        }
        catch (Exception ex) when (ex is JsonException or XmlException or FormatException)
        {
            var error = new ServiceError("UnreadableResponse",
                $"the answer is not the {Model.Protocol} document the model describes ({ex.Message})", status, header("x-amzn-RequestId"),
                null, []);
            throw new AwsServiceException(Model.ServiceId, operation.Name, error, attempt);
        }
    }

    private async Task<(int Status, Func<string, string?> Header, byte[] Body)> SendOnceAsync(
        ClientRequest request, CancellationToken cancellationToken)
    {
        var endpoint = _options.Endpoint;
        var path = _endpointPath + request.Path;
        var query = string.Join('&', request.Query.Select(q =>
            SigV4.UriEncode(q.Key, keepSlash: false) + (q.Value.Length == 0 ? "" : "=" + SigV4.UriEncode(q.Value, keepSlash: false))));
        var uri = new Uri($"{endpoint.Scheme}://{endpoint.Authority}{path}{(query.Length == 0 ? "" : "?" + query)}");
        var host = endpoint.Authority;
        var headers = new List<KeyValuePair<string, string>>(request.Headers) { new("Host", host) };
        var signature = SigV4Signer.Sign(new OutgoingRequest(request.Method, path, request.Query, headers, request.Body),
            _options.Credentials, (_options.Region, Model.SigningName), _options.Time.GetUtcNow());

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        message.Headers.Host = host;
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("Ampstack", "1"));
        if (request.Body.Length > 0 || request.Method is "POST" or "PUT" or "PATCH")
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var (name, value) in request.Headers.Concat(signature))
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var answered = response.Headers.Concat(response.Content.Headers)
            .GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => string.Join(",", g.SelectMany(h => h.Value)), StringComparer.OrdinalIgnoreCase);
        return ((int)response.StatusCode, name => answered.GetValueOrDefault(name), body);
    }

    /// <summary>The innermost reason a connection failed (<c>Connection refused</c>), without the stack.</summary>
    private static string Reason(HttpRequestException ex)
    {
        Exception inner = ex;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return inner == ex ? ex.Message : $"{ex.Message} ({inner.Message})";
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "{Service} {Operation}: attempt {Attempt} of {MaxAttempts} failed, trying again in {DelayMs:0} ms: {Reason}")]
    private static partial void LogRetry(ILogger logger, string service, string operation, int attempt, int maxAttempts, double delayMs,
        string reason);
}
