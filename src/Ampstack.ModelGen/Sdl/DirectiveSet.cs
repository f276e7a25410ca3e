namespace Ampstack.ModelGen.Sdl;

/// <summary>Which directive set the reference hands to codegen (<c>@aws-amplify/graphql-directives</c>).</summary>
internal enum TransformerVersion
{
    V1 = 1,
    V2 = 2,
}

/// <summary>What the generator needs to know of a transformer version's directive definitions.</summary>
internal sealed class DirectiveSet
{
    private static readonly string[] CommonTypes =
    [
        "AuthRule", "AuthStrategy", "AuthProvider", "ModelOperation", "HttpMethod", "HttpHeader",
        "ModelMutationMap", "ModelQueryMap", "ModelSubscriptionMap", "ModelSubscriptionLevel",
        "TimestampConfiguration", "PredictionsActions", "SearchableQueryMap",
    ];

    private static readonly DirectiveSet V2 = new(CommonTypes, ["function", "index"]);

    private static readonly DirectiveSet V1 = new([.. CommonTypes, "ModelQuery", "ModelMutation"], ["function", "key"]);

    private DirectiveSet(IReadOnlyList<string> inputAndEnumTypes, IReadOnlyList<string> repeatable)
    {
        InputAndEnumTypes = inputAndEnumTypes;
        Repeatable = repeatable;
    }

    /// <summary>Input and enum types declared with the directives: codegen skips types with these names.</summary>
    public IReadOnlyList<string> InputAndEnumTypes { get; }

    /// <summary>Directives declared <c>repeatable</c>.</summary>
    public IReadOnlyList<string> Repeatable { get; }

    public static DirectiveSet For(TransformerVersion version) => version == TransformerVersion.V1 ? V1 : V2;
}
