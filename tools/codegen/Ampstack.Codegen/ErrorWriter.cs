using System.Text;
using Ampstack.Aws.Errors;
using Ampstack.Aws.Model;

namespace Ampstack.Codegen;

/// <summary>
/// Writes one exception per error shape of a model (LocalStack's generated <c>ServiceException</c> subclasses): named as
/// the shape, carrying the model's HTTP status, with a typed property and constructor parameter for each member but the
/// message. Each derives from the wire layer's <see cref="AwsErrorException"/> and hands it the members by model name, so
/// the wire layer writes every service's errors with one serializer, from the model.
/// </summary>
public static class ErrorWriter
{
    /// <summary>What a generated member must not be called: the base class has it already.</summary>
    private static readonly HashSet<string> Inherited = typeof(AwsErrorException).GetProperties()
        .Select(p => p.Name).ToHashSet(StringComparer.Ordinal);

    private static readonly HashSet<string> Keywords =
        new(["base", "class", "default", "event", "object", "operator", "params", "string", "this"], StringComparer.Ordinal);

    /// <param name="code">The file being written.</param>
    /// <param name="model">The service model.</param>
    /// <param name="taken">Type names the file already declares (the operation shapes).</param>
    public static void Write(StringBuilder code, ServiceModel model, IReadOnlySet<string> taken)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(taken);
        foreach (var shape in model.Shapes.Values.Where(s => s.Error is not null).OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (taken.Contains(shape.Name))
            {
                throw new NotSupportedException($"{shape.Name} is both an error and an operation shape.");
            }

            WriteError(code, shape);
        }
    }

    private static void WriteError(StringBuilder code, Shape shape)
    {
        var error = shape.Error!;
        var members = shape.Members.Where(m => !m.Name.Equals("message", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var member in members)
        {
            if (member.Shape.Type != ShapeType.String)
            {
                throw new NotSupportedException(
                    $"{shape.Name}.{member.Name} is a {member.Shape.Type}; the generator writes string error members only.");
            }

            if (Inherited.Contains(member.Name) || member.Name == shape.Name || Parameter(member) == "named")
            {
                throw new NotSupportedException($"{shape.Name}.{member.Name} would hide a member of the exception.");
            }
        }

        var parameters = string.Concat(members.Select(m => $", string? {Parameter(m)} = null"));
        var arguments = members.Count == 0 ? "null" : $"ByName({string.Join(", ", members.Select(Parameter))})";
        code.Append($$"""

            /// <summary>The model's <c>{{shape.Name}}</c> error (HTTP {{error.HttpStatusCode}}).</summary>
            [GeneratedCode({{ApiWriter.Tool}})]
            public sealed class {{shape.Name}} : AwsErrorException
            {
                public {{shape.Name}}(string message{{parameters}})
                    : base("{{shape.Name}}", message, {{arguments}}, {{error.HttpStatusCode}})
                {

            """);
        foreach (var member in members)
        {
            code.Append($"        this.{member.Name} = {Parameter(member)};\n");
        }

        code.Append("    }\n");
        foreach (var member in members)
        {
            code.Append($"\n    public string? {member.Name} {{ get; }}\n");
        }

        if (members.Count > 0)
        {
            code.Append($$"""

                    private static Dictionary<string, string> ByName({{string.Join(", ", members.Select(m => $"string? {Parameter(m)}"))}})
                    {
                        var named = new Dictionary<string, string>();

                """);
            foreach (var member in members)
            {
                code.Append($$"""
                            if ({{Parameter(member)}} is not null)
                            {
                                named.Add("{{member.Name}}", {{Parameter(member)}});
                            }


                    """);
            }

            code.Append("        return named;\n    }\n");
        }

        code.Append("}\n");
    }

    private static string Parameter(Member member)
    {
        var name = char.ToLowerInvariant(member.Name[0]) + member.Name[1..];
        return Keywords.Contains(name) ? "@" + name : name;
    }
}
