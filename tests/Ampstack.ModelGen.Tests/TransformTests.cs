using System.Diagnostics;
using Ampstack.ModelGen.Sdl;
using Xunit.Abstractions;

namespace Ampstack.ModelGen.Tests;

/// <summary>
/// <see cref="SchemaTransformer"/> against Amplify's own transformer: for each <c>Transform/NAME.graphql</c>, the
/// reference's <c>expected/NAME.graphql</c> (regenerate with tools/transform/regen.sh, never by hand) must have the same
/// types and, per type, the same fields in the same order with the same arguments and type references; enums the same
/// values. Where the reference rejects the schema (<c>expected/NAME.error.txt</c>), ours must too.
/// </summary>
public sealed class TransformTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Transform");

    /// <summary>Schemas whose types or fields do not match yet (@auth's owner fields and subscription arguments).</summary>
    private static readonly HashSet<string> ShapeDifferences = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Schemas whose AppSync directives (@aws_api_key, @aws_cognito_user_pools, ...) do not match yet.</summary>
    private static readonly HashSet<string> DirectiveDifferences = new(StringComparer.Ordinal)
    {
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Folder, "*.graphql").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Types_and_fields_match_the_reference(string name)
    {
        var schema = File.ReadAllText(Path.Combine(Folder, name + ".graphql"));
        var errorPath = Path.Combine(Folder, "expected", name + ".error.txt");
        if (File.Exists(errorPath))
        {
            var error = Assert.Throws<ModelGenException>(() => SchemaTransformer.Transform(schema));
            output.WriteLine($"reference: {File.ReadAllText(errorPath).Trim()}");
            output.WriteLine($"ours:      {error.Message}");
            return;
        }

        var expected = Shape(File.ReadAllText(Path.Combine(Folder, "expected", name + ".graphql")), directives: false);
        var actual = Shape(SchemaTransformer.Transform(schema), directives: false);
        if (ShapeDifferences.Contains(name))
        {
            var matchesNow = Record.Exception(() => AssertSameShape(expected, actual)) is null;
            Assert.False(matchesNow, $"{name} now matches the reference: remove it from ShapeDifferences");
            return;
        }

        AssertSameShape(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AppSync_directives_match_the_reference(string name)
    {
        var schema = File.ReadAllText(Path.Combine(Folder, name + ".graphql"));
        var expectedPath = Path.Combine(Folder, "expected", name + ".graphql");
        if (!File.Exists(expectedPath))
        {
            return;
        }

        var expected = Shape(File.ReadAllText(expectedPath), directives: true);
        var actual = Shape(SchemaTransformer.Transform(schema), directives: true);
        if (DirectiveDifferences.Contains(name))
        {
            var matchesNow = Record.Exception(() => AssertSameShape(expected, actual)) is null;
            Assert.False(matchesNow, $"{name} now matches the reference: remove it from DirectiveDifferences");
            return;
        }

        AssertSameShape(expected, actual);
    }

    [Fact]
    public void Fifty_models_transform_quickly()
    {
        var schema = File.ReadAllText(Path.Combine(Folder, "large_v2_050_ok.graphql"));
        SchemaTransformer.Transform(schema);
        var watch = Stopwatch.StartNew();
        const int runs = 20;
        var length = 0;
        for (var i = 0; i < runs; i++)
        {
            length = SchemaTransformer.Transform(schema).Length;
        }

        output.WriteLine($"large_v2_050_ok (50 models): {watch.Elapsed.TotalMilliseconds / runs:F1} ms per transform, {length} characters");
    }

    [Fact]
    public void Transformer_v1_schemas_are_refused_with_a_pointer_to_the_migration()
    {
        var error = Assert.Throws<ModelGenException>(() => SchemaTransformer.Transform(
            "type Post @model @key(fields: [\"id\"]) { id: ID! }"));
        Assert.Contains("transformer v1", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Type name to its kind and members: fields as <c>name(arg: T, ...): T</c>, enum values, union members.</summary>
    private static Dictionary<string, List<string>> Shape(string sdl, bool directives)
    {
        var shape = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in SdlReader.Read(sdl, positions: false).Types)
        {
            var members = new List<string> { type.Kind.ToString() };
            if (directives)
            {
                members[0] += Directives(type.Directives);
            }

            members.AddRange(type.EnumValues);
            members.AddRange(type.Members.Select(m => m.ToString()));
            foreach (var field in type.Fields)
            {
                var args = field.Arguments.Count == 0
                    ? string.Empty
                    : $"({string.Join(", ", field.Arguments.Select(a => $"{a.Name}: {a.Type}"))})";
                members.Add($"{field.Name}{args}: {field.Type}{(directives ? Directives(field.Directives) : string.Empty)}");
            }

            shape[type.Name] = members;
        }

        return shape;
    }

    /// <summary>The directives in name order (the reference's order depends on which operation added each first).</summary>
    private static string Directives(List<SdlDirective> directives) =>
        string.Concat(directives.Select(d => " @" + d.Name + (d.Arguments.Count == 0 ? string.Empty
            : $"({string.Join(", ", d.Arguments.Select(a => $"{a.Name}: {Value(a.Value)}"))})")).Order(StringComparer.Ordinal));

    private static string Value(SdlValue value) =>
        value.Items is { } items ? $"[{string.Join(", ", items.Select(Value))}]" : value.Text ?? "null";

    private static void AssertSameShape(Dictionary<string, List<string>> expected, Dictionary<string, List<string>> actual)
    {
        var problems = new List<string>();
        foreach (var missing in expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal))
        {
            problems.Add($"missing type {missing}");
        }

        foreach (var extra in actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal))
        {
            problems.Add($"extra type {extra}");
        }

        foreach (var (name, members) in expected)
        {
            if (actual.TryGetValue(name, out var ours) && !members.SequenceEqual(ours))
            {
                problems.Add($"{name}:\n    reference: {string.Join(" | ", members)}\n    ours:      {string.Join(" | ", ours)}");
            }
        }

        Assert.True(problems.Count == 0, $"{problems.Count} differences:\n" + string.Join("\n", problems));
    }
}
