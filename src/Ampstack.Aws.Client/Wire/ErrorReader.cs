using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Ampstack.Aws.Model;

namespace Ampstack.Aws.Client.Wire;

/// <summary>
/// Reads an error answer as botocore does. JSON (json, rest-json): the code from <c>x-amzn-ErrorType</c>, else the body's
/// <c>__type</c>, <c>code</c> or <c>Code</c> (what follows a <c>#</c>, what precedes a <c>:</c>), the message from
/// <c>message</c>, <c>Message</c> or <c>errorMessage</c>. XML (query, rest-xml): <c>&lt;Error&gt;&lt;Code&gt;</c> and
/// <c>&lt;Message&gt;</c> wherever the document puts the <c>Error</c> element. A body that is neither (an HTML error page)
/// gives the HTTP status as the code and the start of its text as the message. The code is then looked up among the
/// model's error shapes (by <c>error.code</c>, else by name) for the shape and its members.
/// </summary>
internal static partial class ErrorReader
{
    private const int MaxQuotedText = 300;

    public static ServiceError Read(ServiceModel model, int status, Func<string, string?> header, byte[] body)
    {
        var requestId = header("x-amzn-RequestId") ?? header("x-amz-request-id");
        var retryAfter = RetryAfter(header("Retry-After"));
        var error = model.Protocol is "query" or "rest-xml"
            ? ReadXml(model, status, body, requestId) ?? ReadJson(model, status, header, body, requestId)
            : ReadJson(model, status, header, body, requestId) ?? ReadXml(model, status, body, requestId);
        error ??= new ServiceError(status.ToString(CultureInfo.InvariantCulture), Unreadable(status, body), status, requestId, null, []);
        return error with { RetryAfter = retryAfter };
    }

    private static ServiceError? ReadJson(ServiceModel model, int status, Func<string, string?> header, byte[] body, string? requestId)
    {
        JsonElement root = default;
        JsonDocument? document = null;
        try
        {
            if (body.Length > 0)
            {
                document = JsonDocument.Parse(body);
                root = document.RootElement;
            }
        }
        catch (JsonException)
        {
            document = null;
        }

        using (document)
        {
            var hasObject = document is not null && root.ValueKind == JsonValueKind.Object;
            string? Field(params string[] names) => hasObject
                ? names.Select(n => root.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                    .FirstOrDefault(v => !string.IsNullOrEmpty(v))
                : null;

            var code = header("x-amzn-ErrorType") is { Length: > 0 } fromHeader ? fromHeader : Field("__type", "code", "Code");
            if (code is null)
            {
                return null;
            }

            code = Clean(code);
            var shape = Find(model, code);
            var members = hasObject && shape is not null ? ResponseReader.ReadJsonBody(shape, body) : [];
            return new ServiceError(code, Field("message", "Message", "errorMessage") ?? "", status, requestId, shape?.Name, members);
        }
    }

    private static ServiceError? ReadXml(ServiceModel model, int status, byte[] body, string? requestId)
    {
        XElement? root;
        try
        {
            root = body.Length == 0 ? null : XDocument.Parse(Encoding.UTF8.GetString(body)).Root;
        }
        catch (XmlException)
        {
            return null;
        }

        var error = root?.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "Error");
        var code = error?.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
        if (error is null || string.IsNullOrEmpty(code))
        {
            return null;
        }

        code = Clean(code);
        var shape = Find(model, code);
        var message = error.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value ?? "";
        requestId ??= root!.DescendantsAndSelf().FirstOrDefault(e => e.Name.LocalName == "RequestId")?.Value;
        return new ServiceError(code, message, status, requestId, shape?.Name,
            shape is null ? [] : ResponseReader.FromXmlMembers(shape, error));
    }

    /// <summary>The model's error shape for a code: the one whose <c>error.code</c> it is, else the one of that name.</summary>
    private static Shape? Find(ServiceModel model, string code) =>
        model.Shapes.Values.FirstOrDefault(s => s.Error?.Code == code)
        ?? (model.Shapes.TryGetValue(code, out var named) && named.Error is not null ? named : null);

    /// <summary><c>aws.protocoltests#Code:http://...</c> → <c>Code</c>.</summary>
    private static string Clean(string code)
    {
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return (hash >= 0 ? code[(hash + 1)..] : code).Trim();
    }

    private static string Unreadable(int status, byte[] body)
    {
        var text = Whitespace().Replace(Tags().Replace(Encoding.UTF8.GetString(body), " "), " ").Trim();
        if (text.Length > MaxQuotedText)
        {
            text = text[..MaxQuotedText] + "...";
        }

        return text.Length == 0 ? $"HTTP {status} with no error in the body" : $"HTTP {status} with no AWS error in the body: {text}";
    }

    private static TimeSpan? RetryAfter(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : null;

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
