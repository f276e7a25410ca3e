using System.Text.Json.Nodes;

namespace Ampstack.Domain.Common;

/// <summary>
/// Update semantics for stored configurations: given members replace stored ones; objects merge member by member; lists
/// are replaced whole.
/// </summary>
public static class JsonMerge
{
    public static JsonObject Merge(JsonObject stored, JsonObject update)
    {
        var result = (JsonObject)stored.DeepClone();
        foreach (var (name, value) in update)
        {
            if (value is JsonObject child && result[name] is JsonObject existing)
            {
                result[name] = Merge(existing, child);
            }
            else
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }
}
