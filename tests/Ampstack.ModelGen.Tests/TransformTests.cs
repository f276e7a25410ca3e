using System.Diagnostics;
using System.Text.Json.Nodes;
using Ampstack.ModelGen.Sdl;
using Xunit.Abstractions;

namespace Ampstack.ModelGen.Tests;

/// <summary>
/// <see cref="SchemaTransformer"/> against Amplify's own transformer: for each <c>Transform/NAME.graphql</c> and each
/// model generator golden schema <c>Golden/NAME.graphql</c> with a transform expectation, the
/// reference's <c>expected/NAME.graphql</c> (regenerate with tools/transform/regen.sh, never by hand) must have the same
/// types and, per type, the same fields in the same order with the same arguments and type references; enums the same
/// values. Where the reference rejects the schema (<c>expected/NAME.error.txt</c>), ours must too.
/// </summary>
public sealed class TransformTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Transform");

    /// <summary>Rejected schemas whose reason ours words differently from the reference.</summary>
    private static readonly HashSet<string> Reworded = new(StringComparer.Ordinal)
    {
    };

    /// <summary>Schemas whose printed output differs from the reference's beyond what the other tests compare.</summary>
    private static readonly HashSet<string> PrintDifferences = new(StringComparer.Ordinal)
    {
        // Descriptions ("..." before types and fields) are not kept: AppSync does not need them.
        "v2_descriptions_and_args",
    };

    public static TheoryData<string> Names()
    {
        var expected = Directory.EnumerateFiles(Path.Combine(Folder, "expected"))
            .Select(p => Path.GetFileName(p).Replace(".error.txt", string.Empty, StringComparison.Ordinal))
            .Select(n => Path.GetFileNameWithoutExtension(n));
        var data = new TheoryData<string>();
        foreach (var name in expected.Distinct().Order(StringComparer.Ordinal))
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void Every_schema_has_an_expectation()
    {
        foreach (var path in Directory.EnumerateFiles(Folder, "*.graphql"))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var hasSchema = File.Exists(Path.Combine(Folder, "expected", name + ".graphql"));
            var hasError = File.Exists(Path.Combine(Folder, "expected", name + ".error.txt"));
            Assert.True(hasSchema ^ hasError, $"{name}: exactly one of expected/{name}.graphql or .error.txt must exist (run regen.sh)");
        }
    }

    /// <summary>The schema: the transformer's own, else the model generator's golden schema of that name.</summary>
    private static string Schema(string name)
    {
        var own = Path.Combine(Folder, name + ".graphql");
        return File.ReadAllText(File.Exists(own) ? own : Path.Combine(AppContext.BaseDirectory, "Golden", name + ".graphql"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Types_and_fields_match_the_reference(string name)
    {
        var schema = Schema(name);
        var errorPath = Path.Combine(Folder, "expected", name + ".error.txt");
        if (File.Exists(errorPath))
        {
            var error = Assert.Throws<ModelGenException>(() => SchemaTransformer.Transform(schema));
            var reason = File.ReadAllText(errorPath).Trim().Split('\n')[0];
            output.WriteLine($"reference: {reason}");
            output.WriteLine($"ours:      {error.Message}");
            if (!Reworded.Contains(name))
            {
                Assert.StartsWith(reason, error.Message, StringComparison.Ordinal);
            }

            return;
        }

        var expected = Shape(File.ReadAllText(Path.Combine(Folder, "expected", name + ".graphql")), directives: false);
        AssertSameShape(expected, Shape(SchemaTransformer.Transform(schema), directives: false));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void AppSync_directives_match_the_reference(string name)
    {
        var schema = Schema(name);
        var expectedPath = Path.Combine(Folder, "expected", name + ".graphql");
        if (!File.Exists(expectedPath))
        {
            return;
        }

        var expected = Shape(File.ReadAllText(expectedPath), directives: true);
        AssertSameShape(expected, Shape(SchemaTransformer.Transform(schema), directives: true));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Printed_schema_is_the_reference_byte_for_byte(string name)
    {
        var expectedPath = Path.Combine(Folder, "expected", name + ".graphql");
        if (!File.Exists(expectedPath) || PrintDifferences.Contains(name))
        {
            return;
        }

        var schema = Schema(name);
        Assert.Equal(File.ReadAllText(expectedPath), SchemaTransformer.Transform(schema));
    }

    /// <summary>
    /// The indexes relations add to related models' tables (<c>gsi-Parent.field</c>) are the reference's: its stacks'
    /// tables as regen.sh writes them to <c>indexes/NAME.json</c>, the same names on the same tables with the same key
    /// attributes and DynamoDB types (a composite sort key one <c>a#b</c> string attribute).
    /// </summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Relation_indexes_match_the_reference(string name)
    {
        var path = Path.Combine(Folder, "indexes", name + ".json");
        if (!File.Exists(path))
        {
            return;
        }

        var expected = JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Where(i => ((string)i!["index"]!).StartsWith("gsi-", StringComparison.Ordinal))
            .Select(i => $"{i!["model"]} {i["index"]}: "
                + string.Join(", ", i["key"]!.AsArray().Select(k => $"{k!["name"]} {k["type"]}")))
            .Order(StringComparer.Ordinal);
        var ours = SchemaTransformer.ConnectionIndexes(Schema(name)).Select(Describe).Order(StringComparer.Ordinal);
        Assert.Equal(expected, ours);
    }

    private static string Describe(ConnectionIndex index)
    {
        static string Dynamo(string type) => type is "Int" or "Float" or "AWSTimestamp" ? "N" : "S";
        var key = new List<string> { $"{index.Key[0].Name} {Dynamo(index.Key[0].Type)}" };
        if (index.Key.Count == 2)
        {
            key.Add($"{index.Key[1].Name} {Dynamo(index.Key[1].Type)}");
        }
        else if (index.Key.Count > 2)
        {
            key.Add(string.Join('#', index.Key.Skip(1).Select(k => k.Name)) + " S");
        }

        return $"{index.Model} {index.Name}: {string.Join(", ", key)}";
    }

    [Theory]
    [InlineData("large_v2_050_ok", 50)]
    [InlineData("large_v2_200", 200)]
    public void Large_schemas_transform_quickly(string name, int models)
    {
        var schema = Schema(name);
        SchemaTransformer.Transform(schema);
        var watch = Stopwatch.StartNew();
        const int runs = 20;
        var length = 0;
        for (var i = 0; i < runs; i++)
        {
            length = SchemaTransformer.Transform(schema).Length;
        }

        output.WriteLine($"{name} ({models} models): {watch.Elapsed.TotalMilliseconds / runs:F1} ms per transform, {length} characters");
    }

    [Theory]
    [InlineData("Todo", "listTodos")]
    [InlineData("Person", "listPeople")]
    [InlineData("Datum", "listData")]
    public void The_list_query_named_for_a_model_is_the_one_the_transformed_schema_has(string model, string expected)
    {
        Assert.Equal(expected, SchemaTransformer.ListQuery(model));
        var transformed = SchemaTransformer.Transform($"type {model} @model {{ id: ID! }}");
        Assert.Contains($"  {expected}(", transformed, StringComparison.Ordinal);
    }

    [Fact]
    public void Transformer_v1_schemas_are_refused_with_a_pointer_to_the_migration()
    {
        var error = Assert.Throws<ModelGenException>(() => SchemaTransformer.Transform(
            "type Post @model @key(fields: [\"id\"]) { id: ID! }"));
        Assert.Contains("\"@key\" directive from an older version", error.Message, StringComparison.Ordinal);
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
