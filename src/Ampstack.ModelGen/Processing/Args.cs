using Ampstack.ModelGen.Js;
using Ampstack.ModelGen.Model;

namespace Ampstack.ModelGen.Processing;

/// <summary>Reading directive arguments the way the plugin's JavaScript does, failing clearly where it would throw.</summary>
internal static class Args
{
    /// <summary>A list-of-names argument (<c>fields</c>, <c>sortKeyFields</c>, <c>references</c>); null when absent or null.</summary>
    public static List<string>? Names(CgDirective directive, string name, string subject)
    {
        var value = directive.Arg(name);
        if (JsValues.IsNullish(value))
        {
            return null;
        }

        if (value is JsArray array)
        {
            return array.Select(JsValues.ToJsString).ToList();
        }

        throw Errors.At(directive.Pos, subject, $"@{directive.Name}({name}:) must be a list of field names");
    }

    /// <summary>JS truthiness of an argument.</summary>
    public static bool Truthy(CgDirective directive, string name) => JsValues.Truthy(directive.Arg(name));
}

/// <summary>Builds the generator's rejections with position and subject.</summary>
internal static class Errors
{
    public static ModelGenException At(Sdl.SourcePos? pos, string? subject, string reason) => new(reason, pos, subject);

    public static ModelGenException At(CgModel model, string reason) => new(reason, model.Pos, model.Name);

    public static ModelGenException At(CgModel model, CgField field, string reason) =>
        new(reason, field.Pos ?? model.Pos, $"{model.Name}.{field.Name}");
}
