using System.Text;

// Usage: BareKestrel <port>. Answers every request with a fixed job document, as small as Ampstack's GetBackendJob.
var port = args.Length > 0 ? args[0] : "4590";
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
var body = Encoding.UTF8.GetBytes(
    """{"appId":"bench","backendEnvironmentName":"dev","createTime":"1795686865000","jobId":"6f1c0f8e-2c55-4b7e-""" +
    """9a43-1f0e4a1c2b3d","operation":"CreateBackend","status":"COMPLETED","updateTime":"1795686865001"}""");
app.Run(async context =>
{
    context.Response.ContentType = "application/json";
    context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body);
});
Console.WriteLine($"listening on http://127.0.0.1:{port}");
app.Run();
