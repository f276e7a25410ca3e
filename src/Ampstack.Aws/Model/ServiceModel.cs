using System.Text.Json;

namespace Ampstack.Aws.Model;

/// <summary>
/// A botocore service model (<c>service-2.json</c>) loaded at start. It is the single definition of every route, member,
/// wire name, type constraint and error shape; the codec and the router only read it.
/// </summary>
public sealed class ServiceModel
{
    private readonly Dictionary<string, Shape> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Operation> _operations = new(StringComparer.Ordinal);

    /// <summary>The protocols the wire layer speaks.</summary>
    public static readonly IReadOnlyList<string> SupportedProtocols = ["rest-json", "rest-xml", "query", "json"];

    private ServiceModel(string serviceId, string signingName, string protocol, string apiVersion, string? xmlNamespace)
    {
        ServiceId = serviceId;
        SigningName = signingName;
        Protocol = protocol;
        ApiVersion = apiVersion;
        XmlNamespace = xmlNamespace;
    }

    /// <summary>The endpoint prefix of the service's host names (<c>cognito-idp</c>); often, not always, the signing name.</summary>
    public string EndpointPrefix { get; private init; } = "";

    public string ServiceId { get; }

    public string SigningName { get; }

    public string Protocol { get; }

    public string ApiVersion { get; }

    /// <summary>The namespace of the service's XML answers (query and rest-xml protocols), when the model names one.</summary>
    public string? XmlNamespace { get; }

    /// <summary>
    /// The json protocol's version (<c>1.0</c> or <c>1.1</c>): its content type is <c>application/x-amz-json-VERSION</c>.
    /// </summary>
    public string? JsonVersion { get; private init; }

    /// <summary>
    /// What a json-protocol request's <c>X-Amz-Target</c> starts with (<c>TargetPrefix.OperationName</c>), when the model
    /// names it.
    /// </summary>
    public string? TargetPrefix { get; private init; }

    public IReadOnlyDictionary<string, Operation> Operations => _operations;

    public IReadOnlyDictionary<string, Shape> Shapes => _shapes;

    public Shape GetShape(string name) =>
        _shapes.TryGetValue(name, out var shape) ? shape : throw new KeyNotFoundException($"Shape {name} is not in the model");

    public static ServiceModel Load(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var meta = root.GetProperty("metadata");
        // S3's model names no signing name: its endpoint prefix is the one SigV4 scopes use.
        var model = new ServiceModel(
            meta.GetProperty("serviceId").GetString()!,
            (meta.TryGetProperty("signingName", out var signing) ? signing : meta.GetProperty("endpointPrefix")).GetString()!,
            meta.GetProperty("protocol").GetString()!,
            meta.GetProperty("apiVersion").GetString()!,
            meta.TryGetProperty("xmlNamespace", out var ns) ? ns.GetString() : null)
        {
            EndpointPrefix = meta.GetProperty("endpointPrefix").GetString()!,
            JsonVersion = meta.TryGetProperty("jsonVersion", out var jsonVersion) ? jsonVersion.GetString() : null,
            TargetPrefix = meta.TryGetProperty("targetPrefix", out var targetPrefix) ? targetPrefix.GetString() : null,
        };
        if (!SupportedProtocols.Contains(model.Protocol))
        {
            throw new NotSupportedException(
                $"Protocol {model.Protocol} is not supported; the wire layer speaks {string.Join(", ", SupportedProtocols)}.");
        }

        foreach (var shape in root.GetProperty("shapes").EnumerateObject())
        {
            model._shapes[shape.Name] = ReadShape(model, shape.Name, shape.Value);
        }

        foreach (var op in root.GetProperty("operations").EnumerateObject())
        {
            var http = op.Value.GetProperty("http");
            var errors = op.Value.TryGetProperty("errors", out var errs)
                ? errs.EnumerateArray().Select(e => e.GetProperty("shape").GetString()!).ToList()
                : [];
            model._operations[op.Name] = new Operation(
                model,
                op.Name,
                http.GetProperty("method").GetString()!,
                http.GetProperty("requestUri").GetString()!,
                http.TryGetProperty("responseCode", out var code) ? code.GetInt32() : 200,
                ShapeRef(op.Value, "input"),
                ShapeRef(op.Value, "output"),
                errors,
                op.Value.TryGetProperty("output", out var output) && output.TryGetProperty("resultWrapper", out var wrapper)
                    ? wrapper.GetString()
                    : null);
        }

        return model;
    }

    private static string? ShapeRef(JsonElement op, string name) =>
        op.TryGetProperty(name, out var r) ? r.GetProperty("shape").GetString() : null;

    private static Shape ReadShape(ServiceModel model, string name, JsonElement s)
    {
        var type = ParseType(s.GetProperty("type").GetString()!);
        var required = s.TryGetProperty("required", out var req)
            ? req.EnumerateArray().Select(r => r.GetString()!).ToHashSet(StringComparer.Ordinal)
            : [];
        var members = new List<Member>();
        if (s.TryGetProperty("members", out var mems))
        {
            foreach (var m in mems.EnumerateObject())
            {
                var location = m.Value.TryGetProperty("location", out var loc) ? ParseLocation(loc.GetString()!) : MemberLocation.Body;
                var wireName = m.Value.TryGetProperty("locationName", out var ln) ? ln.GetString()! : m.Name;
                members.Add(new Member(model, m.Name, m.Value.GetProperty("shape").GetString()!, wireName, location,
                    required.Contains(m.Name))
                {
                    IsStreaming = m.Value.TryGetProperty("streaming", out var streaming) && streaming.GetBoolean(),
                });
            }
        }

        var enumValues = s.TryGetProperty("enum", out var en)
            ? en.EnumerateArray().Select(e => e.GetString()!).ToList()
            : [];
        ErrorInfo? error = null;
        if (s.TryGetProperty("exception", out var ex) && ex.GetBoolean())
        {
            var status = s.TryGetProperty("error", out var ei) && ei.TryGetProperty("httpStatusCode", out var hs) ? hs.GetInt32() : 400;
            var sender = !s.TryGetProperty("fault", out var fault) || !fault.GetBoolean();
            if (s.TryGetProperty("error", out var info) && info.TryGetProperty("senderFault", out var senderFault))
            {
                sender = senderFault.GetBoolean();
            }

            var code = s.TryGetProperty("error", out var ec) && ec.TryGetProperty("code", out var c) ? c.GetString()! : name;
            error = new ErrorInfo(status, sender, code);
        }

        return new Shape(
            model,
            name,
            type,
            members,
            enumValues,
            s.TryGetProperty("member", out var el) ? el.GetProperty("shape").GetString() : null,
            s.TryGetProperty("key", out var k) ? k.GetProperty("shape").GetString() : null,
            s.TryGetProperty("value", out var v) ? v.GetProperty("shape").GetString() : null,
            s.TryGetProperty("min", out var min) ? min.GetInt64() : null,
            s.TryGetProperty("max", out var max) ? max.GetInt64() : null,
            error)
        {
            Payload = s.TryGetProperty("payload", out var payload) ? payload.GetString() : null,
            IsFlattened = s.TryGetProperty("flattened", out var flattened) && flattened.GetBoolean(),
            TimestampFormat = s.TryGetProperty("timestampFormat", out var format) ? format.GetString() : null,
            ElementWireName = s.TryGetProperty("member", out var element) && element.TryGetProperty("locationName", out var eln)
                ? eln.GetString()
                : null,
        };
    }

    private static ShapeType ParseType(string type) => type switch
    {
        "structure" => ShapeType.Structure,
        "list" => ShapeType.List,
        "map" => ShapeType.Map,
        "string" => ShapeType.String,
        "boolean" => ShapeType.Boolean,
        "integer" => ShapeType.Integer,
        "long" => ShapeType.Long,
        "double" => ShapeType.Double,
        "float" => ShapeType.Float,
        "timestamp" => ShapeType.Timestamp,
        "blob" => ShapeType.Blob,
        _ => throw new NotSupportedException($"Shape type {type} is not supported"),
    };

    private static MemberLocation ParseLocation(string location) => location switch
    {
        "uri" => MemberLocation.Uri,
        "querystring" => MemberLocation.QueryString,
        "header" => MemberLocation.Header,
        "headers" => MemberLocation.Headers,
        _ => throw new NotSupportedException($"Member location {location} is not supported"),
    };
}
