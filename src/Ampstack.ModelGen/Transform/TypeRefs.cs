namespace Ampstack.ModelGen.Transform;

/// <summary>Type references written as SDL text (<c>[String!]!</c>), and the transformer's scalar tables.</summary>
internal static class TypeRefs
{
    /// <summary><c>DEFAULT_SCALARS</c>: every scalar the transformer knows, to the scalar its filter inputs use.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultScalars = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["String"] = "String",
        ["Int"] = "Int",
        ["Float"] = "Float",
        ["Boolean"] = "Boolean",
        ["ID"] = "ID",
        ["BigInt"] = "Int",
        ["Double"] = "Float",
        ["AWSDate"] = "String",
        ["AWSTime"] = "String",
        ["AWSDateTime"] = "String",
        ["AWSTimestamp"] = "Int",
        ["AWSEmail"] = "String",
        ["AWSJSON"] = "String",
        ["AWSURL"] = "String",
        ["AWSPhone"] = "String",
        ["AWSIPAddress"] = "String",
    };

    public static string Base(string type) => type.Trim('[', ']', '!');

    public static bool IsNonNull(string type) => type.EndsWith('!');

    /// <summary>Any list, however wrapped (<c>isListType</c>).</summary>
    public static bool IsAnyList(string type) => type.StartsWith('[');

    /// <summary>A list not wrapped in non-null: the transformer's <c>FieldWrapper.isList()</c> (<c>[E!]!</c> is not one).</summary>
    public static bool IsBareList(string type) => type.StartsWith('[') && !type.EndsWith('!');

    public static string Nullable(string type) => IsNonNull(type) ? type[..^1] : type;

    public static string NonNull(string type) => IsNonNull(type) ? type : type + "!";

    public static bool IsScalar(string type) => DefaultScalars.ContainsKey(Base(type));

    /// <summary>The same wrappers around another named type.</summary>
    public static string Rename(string type, string newBase)
    {
        var start = type.LastIndexOf('[') + 1;
        var end = start + Base(type).Length;
        return string.Concat(type.AsSpan(0, start), newBase, type.AsSpan(end));
    }

    /// <summary>
    /// <c>ModelScalarFilterInputTypeName</c>: <c>ModelStringInput</c> for <c>AWSDateTime</c>, <c>ModelColorInput</c> for an enum.
    /// </summary>
    public static string ScalarFilterInput(string baseType, bool subscription = false) =>
        $"Model{(subscription ? "Subscription" : string.Empty)}{DefaultScalars.GetValueOrDefault(baseType, baseType)}Input";
}
