namespace Ampstack.Aws.Model;

/// <summary>An operation of the service model: its HTTP binding and its shapes.</summary>
public sealed class Operation
{
    private readonly ServiceModel _model;
    private readonly string? _input;
    private readonly string? _output;

    internal Operation(ServiceModel model, string name, string method, string requestUri, int responseCode,
        string? input, string? output, IReadOnlyList<string> errors, string? resultWrapper)
    {
        _model = model;
        _input = input;
        _output = output;
        Name = name;
        HttpMethod = method;
        RequestUri = requestUri;
        ResponseCode = responseCode;
        ErrorShapes = errors;
        ResultWrapper = resultWrapper;
    }

    public string Name { get; }

    public string HttpMethod { get; }

    /// <summary>The request URI template, e.g. <c>/backend/{appId}/details</c>.</summary>
    public string RequestUri { get; }

    public int ResponseCode { get; }

    public Shape? Input => _input is null ? null : _model.GetShape(_input);

    public Shape? Output => _output is null ? null : _model.GetShape(_output);

    /// <summary>The error shapes the operation declares.</summary>
    public IReadOnlyList<string> ErrorShapes { get; }

    /// <summary>The element a query-protocol answer wraps the output in (e.g. <c>DescribeStacksResult</c>).</summary>
    public string? ResultWrapper { get; }
}
