using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Ampstack.AmplifyBackend;
using Ampstack.Aws.Pipeline;

namespace Ampstack.Aws.Tests;

public sealed class ServerRejectionShaperTests
{
    private static readonly ServerRejectionShaper Shaper = new(AmplifyBackendModel.Instance, AmplifyBackendService.Options);

    private static async Task<string> ReadAllAsync(Pipe pipe)
    {
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAtLeastAsync(int.MaxValue);
        return Encoding.Latin1.GetString(result.Buffer.ToArray());
    }

    [Fact]
    public async Task Responses_pass_through_byte_for_byte_when_written_into_the_rest_of_a_span()
    {
        var pipe = new Pipe();
        var writer = Shaper.Writer(pipe.Writer);
        var body = string.Concat(Enumerable.Range(0, 700).Select(i => $"{i % 10}"));
        var head = $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length * 8}\r\nx-amzn-RequestId: 1\r\n\r\n";
        var expected = new StringBuilder(head);

        // As Kestrel's BufferWriter does: advance, then keep writing into the rest of the same span.
        var span = writer.GetSpan();
        var written = Encoding.ASCII.GetBytes(head, span);
        writer.Advance(written);
        span = span[written..];
        var chunk = Encoding.ASCII.GetBytes(body.AsSpan(0, 100).ToString());
        chunk.CopyTo(span);
        writer.Advance(chunk.Length);
        expected.Append(body.AsSpan(0, 100));
        for (var i = 0; i < 7; i++)
        {
            var more = writer.GetSpan(body.Length);
            writer.Advance(Encoding.ASCII.GetBytes(body, more));
            expected.Append(body);
        }

        writer.Advance(Encoding.ASCII.GetBytes(body.AsSpan(100), writer.GetSpan(body.Length)));
        expected.Append(body.AsSpan(100));
        await writer.FlushAsync();

        // A second response on the same connection, flushed on its own.
        var second = "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nx-amzn-RequestId: 2\r\nx-amzn-ErrorType: NotFoundException\r\n\r\n{}";
        writer.Advance(Encoding.ASCII.GetBytes(second, writer.GetSpan()));
        await writer.FlushAsync();
        expected.Append(second);

        Assert.Equal(expected.ToString(), await ReadAllAsync(pipe));
    }

    [Theory]
    [InlineData("505 HTTP Version Not Supported", "HTTP version")]
    [InlineData("400 Bad Request", "not valid HTTP/1.1")]
    [InlineData("431 Request Header Fields Too Large", "headers are larger")]
    public async Task Kestrels_own_error_answers_get_the_service_error_shape(string status, string message)
    {
        var pipe = new Pipe();
        var writer = Shaper.Writer(pipe.Writer);
        var head = $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\nDate: Tue, 01 Dec 2026 00:00:00 GMT\r\n\r\n";
        writer.Advance(Encoding.ASCII.GetBytes(head, writer.GetSpan()));
        await writer.FlushAsync();

        var text = await ReadAllAsync(pipe);
        var (headText, bodyText) = (text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)],
            text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]);
        var lines = headText.Split("\r\n");
        Assert.Equal("HTTP/1.1 400 Bad Request", lines[0]);
        Assert.Contains("x-amzn-ErrorType: BadRequestException", lines);
        Assert.Contains("Connection: close", lines);
        Assert.Contains($"Content-Length: {bodyText.Length}", lines);
        Assert.Single(lines, l => l.StartsWith("Content-Length", StringComparison.Ordinal));
        Assert.True(Guid.TryParse(
            lines.Single(l => l.StartsWith("x-amzn-RequestId: ", StringComparison.Ordinal))["x-amzn-RequestId: ".Length..], out _));
        Assert.Contains(message, JsonDocument.Parse(bodyText).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_empty_error_answers_without_a_request_id_are_reshaped()
    {
        Assert.Null(Shaper.Reshape("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8));
        Assert.Null(Shaper.Reshape("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nx-amzn-RequestId: 1\r\n\r\n"u8));
        Assert.Null(Shaper.Reshape("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\n\r\n{}"u8));
        Assert.Null(Shaper.Reshape("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"u8));
        Assert.NotNull(Shaper.Reshape("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8));
    }
}
