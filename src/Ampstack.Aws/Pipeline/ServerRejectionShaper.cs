using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;
using Ampstack.Aws.Protocols;
using Microsoft.AspNetCore.Connections;

namespace Ampstack.Aws.Pipeline;

/// <summary>
/// Kestrel answers some requests itself, before any application code runs: a request line, target or header it cannot
/// parse (a <c>%00</c> in the path, a bad <c>Content-Length</c>), one too long (414, 431), an unknown HTTP version (505).
/// Those answers have an empty body and no <c>x-amzn-ErrorType</c>, and offer no hook. This connection middleware
/// gives them the service's error shape: it watches the start of every response Kestrel writes, and replaces a head
/// that carries no <c>x-amzn-RequestId</c> (every answer of the application carries one), has an error status and an
/// empty body with the service's bad-request error (<see cref="ServiceOptions.BadRequest"/>) saying what was wrong.
/// Everything else passes through untouched; only the first bytes of error responses are held back until their flush.
/// </summary>
/// <param name="model">The model of the service whose (rest-json) error shape the answers take.</param>
/// <param name="options">The service's options, whose <see cref="ServiceOptions.BadRequest"/> the answers are.</param>
public sealed class ServerRejectionShaper(ServiceModel model, ServiceOptions options)
{
    /// <summary>Installs the shaper on a connection, for <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var transport = connection.Transport;
        var output = Writer(transport.Output);
        connection.Transport = new DuplexPipe(transport.Input, output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = transport;
        }
    };

    /// <summary>The writer that reshapes Kestrel's own error responses on their way to <paramref name="transport"/>.</summary>
    internal PipeWriter Writer(PipeWriter transport) => new ShapingWriter(transport, this);

    /// <summary>
    /// The replacement for a response head Kestrel wrote by itself, or null to keep <paramref name="response"/> as it is.
    /// </summary>
    internal byte[]? Reshape(ReadOnlySpan<byte> response)
    {
        var headEnd = response.IndexOf("\r\n\r\n"u8);
        if (headEnd < 0 || headEnd + 4 != response.Length || !response.StartsWith("HTTP/1.1 "u8) || response.Length < 12)
        {
            return null;
        }

        var head = Encoding.ASCII.GetString(response[..headEnd]);
        var lines = head.Split("\r\n");
        if (!int.TryParse(lines[0].AsSpan(9, 3), out var status) || status < 400
            || lines.Any(l => l.StartsWith("x-amzn-RequestId:", StringComparison.OrdinalIgnoreCase))
            || !lines.Any(l => l.Equals("Content-Length: 0", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        var error = options.BadRequest(Explain(status));
        var (shapedStatus, body) = ErrorSerializer.Serialize(model, error);
        var text = new StringBuilder();
        text.Append("HTTP/1.1 ").Append(shapedStatus).Append(shapedStatus == 400 ? " Bad Request" : "").Append("\r\n");
        foreach (var line in lines.Skip(1).Where(l => !l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append(line).Append("\r\n");
        }

        text.Append("Content-Type: application/json\r\n")
            .Append("Access-Control-Allow-Origin: *\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("x-amzn-RequestId: ").Append(Guid.NewGuid()).Append("\r\n")
            .Append("x-amzn-ErrorType: ").Append(error.ErrorType).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(text.ToString()), .. body];
    }

    private static string Explain(int status) => status switch
    {
        408 => "The request headers did not arrive in time.",
        411 => "The request needs a Content-Length header or a chunked body.",
        413 => "The request body is larger than the server accepts.",
        414 => "The request line is longer than the server accepts (8 KiB).",
        431 => "The request headers are larger than the server accepts (32 KiB, at most 100 headers).",
        505 => "The HTTP version is not supported; use HTTP/1.1.",
        _ => $"The request is not valid HTTP/1.1: a malformed request line, target, header or body framing (HTTP status {status}).",
    };

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>
    /// Passes writes to the transport, except that the start of each flushed run of bytes is first written into a small
    /// buffer of its own, and stays there while it may be the head of one of Kestrel's error responses (it begins with
    /// <c>HTTP/1.1 4</c> or <c>5</c>); the flush decides whether to reshape it. Writers rely on the rest of the memory
    /// they were given staying the next place to write after an <see cref="Advance"/>, so the buffer is handed over
    /// to the transport only when new memory is asked for (or at a flush), never in between.
    /// </summary>
    private sealed class ShapingWriter(PipeWriter inner, ServerRejectionShaper shaper) : PipeWriter
    {
        private const int HoldCapacity = 2048;
        private readonly byte[] _held = new byte[HoldCapacity];
        private int _heldLength;

        /// <summary>At the start of a run: memory may still come from <see cref="_held"/>.</summary>
        private bool _holding = true;

        /// <summary>The memory handed out last is <see cref="_held"/>'s.</summary>
        private bool _lentHeld;

        /// <summary>What is held cannot be an error head: hand it over at the next chance.</summary>
        private bool _plain;

        public override void Advance(int bytes)
        {
            if (!_lentHeld)
            {
                inner.Advance(bytes);
                return;
            }

            _heldLength += bytes;
            _plain = _plain || !CouldBeErrorHead(_held.AsSpan(0, _heldLength));
        }

        public override Memory<byte> GetMemory(int sizeHint = 0)
        {
            if (_holding && !_plain && HoldCapacity - _heldLength >= Math.Max(sizeHint, 1))
            {
                _lentHeld = true;
                return _held.AsMemory(_heldLength);
            }

            Release(reshape: false);
            _holding = false;
            return inner.GetMemory(sizeHint);
        }

        public override Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Release(reshape: true);
            _holding = true;
            return inner.FlushAsync(cancellationToken);
        }

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null)
        {
            Release(reshape: true);
            inner.Complete(exception);
        }

        public override ValueTask CompleteAsync(Exception? exception = null)
        {
            Release(reshape: true);
            return inner.CompleteAsync(exception);
        }

        private static bool CouldBeErrorHead(ReadOnlySpan<byte> held)
        {
            var prefix = "HTTP/1.1 "u8;
            return held.Length <= prefix.Length
                ? prefix.StartsWith(held)
                : held.StartsWith(prefix) && held[prefix.Length] is (byte)'4' or (byte)'5';
        }

        /// <summary>Writes what is held (reshaped when asked and it is one of Kestrel's own error heads) to the transport.</summary>
        private void Release(bool reshape)
        {
            if (_heldLength > 0)
            {
                var held = _held.AsSpan(0, _heldLength);
                if (reshape && !_plain && shaper.Reshape(held) is { } shaped)
                {
                    inner.Write(shaped);
                }
                else
                {
                    inner.Write(held);
                }

                _heldLength = 0;
            }

            _lentHeld = false;
            _plain = false;
        }
    }
}
