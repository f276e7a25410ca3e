namespace Ampstack.Aws.Model;

/// <summary>Where a top-level input or output member travels on the wire.</summary>
public enum MemberLocation
{
    Body,
    Uri,
    QueryString,
    Header,
}
