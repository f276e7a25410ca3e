using System.Text.Json.Nodes;

namespace Ampstack.Domain.Provisioning;

/// <summary>
/// What a provisioning job leaves on its resource for a person to read later: where it was provisioned, and the steps the
/// endpoint does not implement that were skipped (<c>appsync CreateDataSource</c>), which are otherwise only logged and
/// counted. Stored with the resource's outputs under <see cref="Member"/>, written in the transaction that ends the job;
/// amplify-meta shows it as the resource entry's own <c>ampstack</c> member, beside <c>output</c>, never in it (the
/// members clients read), and a CloudFormation stack's outputs are strings only, so it is not one of them either.
/// </summary>
public static class ProvisioningNote
{
    /// <summary>The member holding the note, in the stored outputs and in the amplify-meta entry.</summary>
    public const string Member = "ampstack";

    /// <summary>The note of a job that ended well on <paramref name="where"/>, skipping <paramref name="skipped"/>.</summary>
    public static JsonObject Make(string where, IReadOnlyList<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        return new JsonObject
        {
            ["provisionedOn"] = where,
            ["skipped"] = new JsonArray([.. skipped.Distinct(StringComparer.Ordinal).Select(s => (JsonNode)s)]),
        };
    }

    /// <summary><paramref name="outputs"/> (a copy) with <paramref name="note"/> as its note.</summary>
    public static JsonObject With(JsonObject outputs, JsonObject note)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var copy = (JsonObject)outputs.DeepClone();
        copy[Member] = note;
        return copy;
    }

    /// <summary>A copy of <paramref name="outputs"/> without the note, and the note (a copy), if there is one.</summary>
    public static (JsonObject Outputs, JsonObject? Note) Split(JsonObject outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var copy = (JsonObject)outputs.DeepClone();
        var note = copy[Member] as JsonObject;
        copy.Remove(Member);
        return (copy, note?.DeepClone() as JsonObject);
    }
}
