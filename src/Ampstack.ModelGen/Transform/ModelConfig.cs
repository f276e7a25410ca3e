using Ampstack.ModelGen.Sdl;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Transform;

/// <summary>
/// A model's <c>@model</c> arguments with the transformer's defaults, merged shallowly (the new-project default of
/// <c>shouldDeepMergeDirectiveConfigDefaults</c> is false): an object given for <c>queries</c> replaces the defaults.
/// </summary>
internal sealed class ModelConfig
{
    /// <summary>The list query the transformer names for a model when <c>@model(queries:)</c> names none: <c>listTodos</c>.</summary>
    internal static string DefaultListQuery(string typeName) => $"list{ChangeCase.ToUpper(Pluralizer.Plural(typeName))}";

    public string? Get { get; private init; }

    public string? List { get; private init; }

    public string? Create { get; private init; }

    public string? Update { get; private init; }

    public string? Delete { get; private init; }

    public List<string> OnCreate { get; private init; } = [];

    public List<string> OnUpdate { get; private init; } = [];

    public List<string> OnDelete { get; private init; } = [];

    /// <summary>The createdAt field's name; null when the model has none.</summary>
    public string? CreatedAt { get; private init; }

    public string? UpdatedAt { get; private init; }

    /// <summary>Whether <c>timestamps: null</c> was given (no timestamp in the condition input either).</summary>
    public bool TimestampsOff { get; private init; }

    /// <summary>The timestamp names the model's arguments give (for the create and update inputs).</summary>
    public List<string> GivenTimestamps { get; private init; } = [];

    public static ModelConfig Read(string typeName, SdlDirective model)
    {
        var queries = Arg(model, "queries");
        var mutations = Arg(model, "mutations");
        var subscriptions = Arg(model, "subscriptions");
        var timestamps = Arg(model, "timestamps");
        var list = DefaultListQuery(typeName);
        var subscriptionsOff = subscriptions is { Kind: SdlValueKind.Null }
            || (Member(subscriptions, "level") is { } level && level.Text == "off");
        var givenSubscriptions = subscriptions is { Kind: SdlValueKind.Object }
            && (HasMember(subscriptions, "onCreate") || HasMember(subscriptions, "onUpdate") || HasMember(subscriptions, "onDelete"));
        return new ModelConfig
        {
            Get = Operation(queries, "get", "get" + typeName),
            List = Operation(queries, "list", list),
            Create = Operation(mutations, "create", "create" + typeName),
            Update = Operation(mutations, "update", "update" + typeName),
            Delete = Operation(mutations, "delete", "delete" + typeName),
            OnCreate = subscriptionsOff ? [] : Names(subscriptions, "onCreate", "onCreate" + typeName, givenSubscriptions),
            OnUpdate = subscriptionsOff ? [] : Names(subscriptions, "onUpdate", "onUpdate" + typeName, givenSubscriptions),
            OnDelete = subscriptionsOff ? [] : Names(subscriptions, "onDelete", "onDelete" + typeName, givenSubscriptions),
            CreatedAt = Timestamp(timestamps, "createdAt"),
            UpdatedAt = Timestamp(timestamps, "updatedAt"),
            TimestampsOff = timestamps is { Kind: SdlValueKind.Null },
            GivenTimestamps = timestamps?.Fields?.Where(f => f.Value.Kind == SdlValueKind.String).Select(f => f.Value.Text!).ToList() ?? [],
        };
    }

    private static SdlValue? Arg(SdlDirective directive, string name) =>
        directive.Arguments.Find(a => a.Name == name)?.Value;

    private static bool HasMember(SdlValue? value, string name) => value?.Fields?.Exists(f => f.Key == name) == true;

    private static SdlValue? Member(SdlValue? value, string name)
    {
        if (value?.Fields is null)
        {
            return null;
        }

        foreach (var (key, member) in value.Fields)
        {
            if (key == name)
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>The default when the argument is absent; none when it is null; else the object's member (absent: none).</summary>
    private static string? Operation(SdlValue? group, string name, string defaultName) => group switch
    {
        null => defaultName,
        { Kind: SdlValueKind.Object } => Member(group, name) is { Kind: SdlValueKind.String } v ? v.Text : null,
        _ => null,
    };

    private static List<string> Names(SdlValue? group, string name, string defaultName, bool given)
    {
        if (!given)
        {
            return [defaultName];
        }

        return Member(group, name) switch
        {
            { Kind: SdlValueKind.String } v => [v.Text!],
            { Kind: SdlValueKind.List } v => v.Items!.Where(i => i.Kind == SdlValueKind.String).Select(i => i.Text!).ToList(),
            _ => [],
        };
    }

    private static string? Timestamp(SdlValue? timestamps, string name) => timestamps switch
    {
        null => name,
        { Kind: SdlValueKind.Null } => null,
        { Kind: SdlValueKind.Object } => Member(timestamps, name) switch
        {
            null => name,
            { Kind: SdlValueKind.String } v => v.Text,
            _ => null,
        },
        _ => name,
    };
}
