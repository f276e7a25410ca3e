namespace Ampstack.Aws.Model;

/// <summary>The botocore shape types that a rest-json service can use.</summary>
public enum ShapeType
{
    Structure,
    List,
    Map,
    String,
    Boolean,
    Integer,
    Long,
    Double,
    Float,
    Timestamp,
    Blob,
}
