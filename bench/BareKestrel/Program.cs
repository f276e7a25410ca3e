using System.Collections.Concurrent;
using System.Text;

// Usage: BareKestrel <port> [bodies-directory]. Answers every request with a fixed body and no other work: the bytes of
// the file in bodies-directory that the request's X-Bench-Body header names (read once, at the first request naming it),
// else a job document as small as Ampstack's GetBackendJob. The benchmark saves there what Ampstack answers each of its
// requests with, so both are compared on the same bytes.
var port = args.Length > 0 ? args[0] : "4590";
var bodies = args.Length > 1 ? args[1] : null;
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
var fallback = Encoding.UTF8.GetBytes(
    """{"appId":"bench","backendEnvironmentName":"dev","createTime":"1795686865000","jobId":"6f1c0f8e-2c55-4b7e-""" +
    """9a43-1f0e4a1c2b3d","operation":"CreateBackend","status":"COMPLETED","updateTime":"1795686865001"}""");
var cache = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
byte[] BodyFor(HttpRequest request)
{
    var name = request.Headers["X-Bench-Body"].ToString();
    if (bodies is null || name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains('.', StringComparison.Ordinal))
    {
        return fallback;
    }

    return cache.GetOrAdd(name, n => File.Exists(Path.Combine(bodies, n)) ? File.ReadAllBytes(Path.Combine(bodies, n)) : fallback);
}

app.Run(async context =>
{
    var body = BodyFor(context.Request);
    context.Response.ContentType = "application/json";
    context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body);
});
Console.WriteLine($"listening on http://127.0.0.1:{port}");
app.Run();
