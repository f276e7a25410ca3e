namespace Ampstack.Aws.Model;

/// <summary>A shape of the service model. Members keep the model's order.</summary>
public sealed class Shape
{
    private readonly ServiceModel _model;
    private readonly string? _elementShape;
    private readonly string? _keyShape;
    private readonly string? _valueShape;
    /// <summary>
    /// The members by location, and the required ones: spans of arrays, which the request path walks on every request
    /// (an interface's enumerator was an allocation each time).
    /// </summary>
    private readonly Member[][] _byLocation;
    private readonly Member[] _required;

    internal Shape(
        ServiceModel model,
        string name,
        ShapeType type,
        IReadOnlyList<Member> members,
        IReadOnlyList<string> enumValues,
        string? elementShape,
        string? keyShape,
        string? valueShape,
        long? min,
        long? max,
        ErrorInfo? error)
    {
        _model = model;
        Name = name;
        Type = type;
        Members = members;
        MembersByName = members.ToDictionary(m => m.Name, StringComparer.Ordinal);
        MembersByWireName = members.Where(m => m.Location == MemberLocation.Body)
            .ToDictionary(m => m.WireName, StringComparer.Ordinal);
        _byLocation = Enum.GetValues<MemberLocation>().Select(l => members.Where(m => m.Location == l).ToArray()).ToArray();
        _required = members.Where(m => m.IsRequired).ToArray();
        EnumValues = enumValues;
        _elementShape = elementShape;
        _keyShape = keyShape;
        _valueShape = valueShape;
        Min = min;
        Max = max;
        Error = error;
    }

    public string Name { get; }

    public ShapeType Type { get; }

    public IReadOnlyList<Member> Members { get; }

    public IReadOnlyDictionary<string, Member> MembersByName { get; }

    /// <summary>Body members by their wire name.</summary>
    public IReadOnlyDictionary<string, Member> MembersByWireName { get; }

    /// <summary>The members that travel at <paramref name="location"/>, in model order (made once: every request asks).</summary>
    public ReadOnlySpan<Member> MembersAt(MemberLocation location) => _byLocation[(int)location];

    /// <summary>The required members, in model order.</summary>
    public ReadOnlySpan<Member> RequiredMembers => _required;

    /// <summary>The allowed values of an enum string shape; empty for any other shape.</summary>
    public IReadOnlyList<string> EnumValues { get; }

    public Shape Element => _model.GetShape(_elementShape ?? throw new InvalidOperationException($"{Name} is not a list"));

    public Shape Key => _model.GetShape(_keyShape ?? throw new InvalidOperationException($"{Name} is not a map"));

    public Shape Value => _model.GetShape(_valueShape ?? throw new InvalidOperationException($"{Name} is not a map"));

    public long? Min { get; }

    public long? Max { get; }

    /// <summary>Set on error shapes (<c>"exception": true</c>).</summary>
    public ErrorInfo? Error { get; }

    /// <summary>The member that is the whole body of a rest protocol message (S3's object bytes), if any.</summary>
    public string? Payload { get; init; }

    /// <summary>True for a list whose elements stand in XML without a wrapping element.</summary>
    public bool IsFlattened { get; init; }

    /// <summary>
    /// A timestamp shape's own wire format (<c>iso8601</c>, <c>unixTimestamp</c>, <c>rfc822</c>), when it departs from its
    /// protocol's default.
    /// </summary>
    public string? TimestampFormat { get; init; }

    /// <summary>The XML name of a list's elements, when the model names one (else <c>member</c>).</summary>
    public string? ElementWireName { get; init; }
}

/// <summary>What the model says about an error shape.</summary>
/// <param name="HttpStatusCode">The status its responses carry.</param>
/// <param name="IsSenderFault">True for client errors.</param>
/// <param name="Code">The code the error travels under (the model's <c>error.code</c>, else the shape's name).</param>
public sealed record ErrorInfo(int HttpStatusCode, bool IsSenderFault, string Code);
