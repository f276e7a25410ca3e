namespace Ampstack.Aws.Model;

/// <summary>A member of a structure shape: its model name, its wire name and where it travels.</summary>
public sealed class Member
{
    private readonly ServiceModel _model;
    private readonly string _shapeName;

    internal Member(ServiceModel model, string name, string shapeName, string wireName, MemberLocation location, bool required)
    {
        _model = model;
        _shapeName = shapeName;
        Name = name;
        WireName = wireName;
        Location = location;
        IsRequired = required;
    }

    /// <summary>The member name in the model (PascalCase, e.g. <c>AppId</c>).</summary>
    public string Name { get; }

    /// <summary>The name on the wire: the model's <c>locationName</c>, or the member name.</summary>
    public string WireName { get; }

    public MemberLocation Location { get; }

    public bool IsRequired { get; }

    /// <summary>True for a streaming blob (S3's object bytes).</summary>
    public bool IsStreaming { get; init; }

    public Shape Shape => _model.GetShape(_shapeName);
}
