using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ampstack.Aws.Client.Tests;

/// <summary>
/// A real HTTP server on a loopback port (HttpListener) whose answers the test scripts: the n-th request (from 1) gets
/// what <c>answer</c> returns for it, after the delay it asks for. Requests are answered concurrently, so a slow answer
/// does not hold up the next attempt.
/// </summary>
internal sealed class StubEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, StubAnswer> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<StubRequest> _requests = [];

    public StubEndpoint(Func<int, StubAnswer> answer)
    {
        _answer = answer;
        for (var tries = 0; ; tries++)
        {
            var port = FreePort();
            Endpoint = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Endpoint.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (tries < 3)
            {
                _listener.Prefixes.Clear();
            }
        }

        _ = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<StubRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    /// <summary>A port nothing listens on (bound, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            int number;
            lock (_requests)
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                _requests.Add(new StubRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "",
                    context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!,
                        StringComparer.OrdinalIgnoreCase),
                    reader.ReadToEnd()));
                number = _requests.Count;
            }

            _ = Task.Run(() => AnswerAsync(context, _answer(number)));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, StubAnswer answer)
    {
        try
        {
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, _stop.Token);
            }

            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var body = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.ContentType = answer.ContentType;
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body, _stop.Token);
            context.Response.Close();
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException or IOException)
        {
            // The test is over or the client went away.
        }
    }
}

/// <summary>What the stub answers.</summary>
internal sealed record StubAnswer(int Status, string Body, string ContentType = "application/x-amz-json-1.1")
{
    public TimeSpan Delay { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>A request the stub received.</summary>
internal sealed record StubRequest(string Method, string RawUrl, IReadOnlyDictionary<string, string> Headers, string Body);
