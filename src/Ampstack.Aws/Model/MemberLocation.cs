namespace Ampstack.Aws.Model;

/// <summary>Where a top-level input or output member travels on the wire.</summary>
public enum MemberLocation
{
    Body,
    Uri,
    QueryString,
    Header,

    /// <summary>Every header with the member's name as prefix (S3's <c>x-amz-meta-</c>), as a map.</summary>
    Headers,
}
