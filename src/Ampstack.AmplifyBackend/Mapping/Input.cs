using System.Text.Json.Nodes;

namespace Ampstack.AmplifyBackend.Mapping;

/// <summary>Typed reads of an operation's validated input (keyed by model member names).</summary>
internal static class Input
{
    /// <summary>A required string member (the parser has already checked it is present).</summary>
    public static string Str(this JsonObject input, string member) =>
        (string?)input[member] ?? throw new InvalidOperationException($"{member} is required by the model");

    public static string? OptStr(this JsonObject input, string member) => (string?)input[member];

    public static int? OptInt(this JsonObject input, string member) => input[member] is { } n ? (int)(long)n : null;

    public static bool? OptBool(this JsonObject input, string member) => (bool?)input[member];

    public static JsonObject Obj(this JsonObject input, string member) =>
        input[member] as JsonObject ?? throw new InvalidOperationException($"{member} is required by the model");

    public static JsonObject? OptObj(this JsonObject input, string member) => input[member] as JsonObject;

    /// <summary>A detached copy of a nested object, safe to store.</summary>
    public static JsonObject Copy(this JsonObject value) => (JsonObject)value.DeepClone();
}
