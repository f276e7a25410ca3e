using Ampstack.ModelGen.Model;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Processing;

/// <summary>Helpers shared by the v1 and v2 relationship rules.</summary>
internal static class Relations
{
    /// <summary>
    /// Resolves every relationship field of every model with <paramref name="connect"/>, applies its side effects on
    /// the models, and drops model-typed fields without a relationship directive (the plugin warns and drops them).
    /// </summary>
    public static void ConnectAll(CgSchema schema, Func<CgField, CgModel, ConnectionInfo?> connect,
        Action<CgModel, CgField, ConnectionInfo> apply)
    {
        var modelNames = schema.Models.Values.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var model in schema.Models.Values.ToList())
        {
            foreach (var field in model.Fields.ToList())
            {
                if (connect(field, model) is { } info)
                {
                    apply(model, field, info);
                    field.ConnectionInfo = info;
                }
            }

            model.Fields = model.Fields.Where(f => !(modelNames.Contains(f.Type) && f.ConnectionInfo is null)).ToList();
        }
    }

    /// <summary><c>makeConnectionAttributeName</c>: "postCommentsId".</summary>
    public static string ConnectionAttributeName(string type, string? field, string otherSideKey = PrimaryKeys.IdField) =>
        field is not null ? ChangeCase.JoinCamel(type, field, otherSideKey) : ChangeCase.JoinCamel(type, otherSideKey);

    /// <summary>The model a relationship field points to; the plugin fails with a TypeError where there is none.</summary>
    public static CgModel OtherSide(CgSchema schema, CgModel model, CgField field, string directive) =>
        schema.Models.Get(field.Type)
        ?? throw Errors.At(model, field, $"@{directive} on {model.Name}.{field.Name} needs a @model type, but {field.Type} is not one");

    /// <summary>A new optional ID-like field, as the plugin creates for implicit connection fields.</summary>
    public static CgField ImplicitField(string name, string type = "ID", bool isNullable = true) =>
        new() { Name = name, Type = type, IsList = false, IsNullable = isNullable };

    /// <summary>The field's name, failing as the plugin's <c>undefined.name</c> would.</summary>
    public static string NameOf(CgField? field, CgModel model, CgField at) =>
        field?.Name ?? throw Errors.At(model, at, $"{model.Name}.{at.Name} refers to a field that does not exist");
}
