using System.Text.Json;

namespace Ampstack.ModelGen.Tests;

/// <summary>The public API's contract beyond the golden corpus.</summary>
public sealed class GeneratorTests
{
    private const string Todo = "type Todo @model {\n  id: ID!\n  name: String!\n}\n";

    [Fact]
    public void Generate_returns_both_formats_without_trailing_newline()
    {
        var models = ModelGenerator.Generate(Todo);
        Assert.Equal(ModelGenerator.Generate(Todo, ModelFormat.DataStore), models.DataStoreJson);
        Assert.Equal(ModelGenerator.Generate(Todo, ModelFormat.Introspection), models.IntrospectionJson);
        Assert.EndsWith("}", models.DataStoreJson, StringComparison.Ordinal);
        Assert.StartsWith("{\n    \"version\": 1,", models.IntrospectionJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_is_deterministic_and_follows_the_models()
    {
        static string Version(string sdl) =>
            JsonDocument.Parse(ModelGenerator.Generate(sdl, ModelFormat.DataStore)).RootElement.GetProperty("version").GetString()!;

        var v1 = Version(Todo);
        Assert.Equal(v1, Version(Todo));
        Assert.Matches("^[0-9a-f]{32}$", v1);
        Assert.NotEqual(v1, Version(Todo.Replace("name: String!", "name: String", StringComparison.Ordinal)));
        Assert.NotEqual(v1, Version(Todo.Replace("name: String!", "title: String!", StringComparison.Ordinal)));
    }

    [Fact]
    public void Syntax_errors_name_line_and_column()
    {
        var error = Assert.Throws<ModelGenException>(() => ModelGenerator.Generate("type A @model {\n  id: ID!\n  name String\n}\n"));
        Assert.Equal(3, error.Line);
        Assert.Equal(8, error.Column);
        Assert.Contains("line 3, column 8", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Syntax errors word what is wrong as graphql-js (the reference's parser) does; the expected texts are the
    /// reference's own for these schemas. The golden corpus has the others (bad_syntax*), where a control
    /// character in the file would be hard to read.
    /// </summary>
    [Theory]
    [InlineData("type A @model {\n  id: ID!\n  \u001f\n}\n", "Syntax Error: Cannot contain the invalid character \"\\u001f\".", 3, 3)]
    [InlineData("type A @model {\n  id: ID!\n  name: String @default(value: \"a\u001fb\")\n}\n",
        "Syntax Error: Invalid character within String: \"\\u001f\".", 3, 34)]
    [InlineData("type A @model {\n  id: ID! \\u0041\n}\n", "Syntax Error: Cannot parse the unexpected character \"\\\\\".", 2, 11)]
    public void Syntax_errors_are_worded_as_graphql_js_words_them(string sdl, string reason, int line, int column)
    {
        var error = Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(sdl));
        Assert.Equal(reason, error.Reason);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Rejections_name_the_field_and_its_position()
    {
        const string sdl = "type Blog @model {\n  id: ID!\n  post: Post @hasMany\n}\n\ntype Post @model {\n  id: ID!\n}\n";
        var error = Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(sdl));
        Assert.Equal(3, error.Line);
        Assert.Equal(3, error.Column);
        Assert.Equal("Blog.post", error.Subject);
        Assert.Contains("A field with hasMany must be a list type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_types_name_the_reference()
    {
        var error = Assert.Throws<ModelGenException>(() => ModelGenerator.Generate("type A @model {\n  id: ID!\n  b: Bogus\n}\n"));
        Assert.Equal(3, error.Line);
        Assert.Equal(6, error.Column);
        Assert.Contains("Unknown type: \"Bogus\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("A.b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_both_rejects_when_either_format_rejects()
    {
        const string sdl = "union U = A | B\ntype A @model {\n  id: ID!\n  u: U\n}\ntype B @model {\n  id: ID!\n}\n";
        Assert.NotNull(ModelGenerator.Generate(sdl, ModelFormat.Introspection));
        Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(sdl, ModelFormat.DataStore));
        Assert.Throws<ModelGenException>(() => ModelGenerator.Generate(sdl));
    }

    [Fact]
    public void Empty_schema_is_rejected()
    {
        Assert.Throws<ModelGenException>(() => ModelGenerator.Generate("# only a comment\n"));
    }

    [Fact]
    public void ToSchemaJs_keeps_one_semicolon_and_round_trips()
    {
        const string sdl = "type Note @model @auth(rules: [{ allow: owner, identityClaim: \"a;b\" }]) {\n  id: ID!\n}\n";
        var json = ModelGenerator.Generate(sdl, ModelFormat.DataStore);
        Assert.Contains(";", json, StringComparison.Ordinal);
        var js = ModelGenerator.ToSchemaJs(json);
        Assert.StartsWith("export const schema = {", js, StringComparison.Ordinal);
        Assert.EndsWith("};", js, StringComparison.Ordinal);
        Assert.Equal(1, js.Count(c => c == ';'));

        // What clients do: drop every ';', parse from the first '{'.
        var stripped = js.Replace(";", string.Empty, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(stripped[stripped.IndexOf('{', StringComparison.Ordinal)..]);
        using var original = JsonDocument.Parse(json);
        Assert.Equal(original.RootElement.GetRawText().Replace("\\u003b", ";", StringComparison.Ordinal),
            parsed.RootElement.GetRawText().Replace("\\u003b", ";", StringComparison.Ordinal));
        var claim = parsed.RootElement.GetProperty("models").GetProperty("Note").GetProperty("attributes")[1]
            .GetProperty("properties").GetProperty("rules")[0].GetProperty("identityClaim").GetString();
        Assert.Equal("a;b", claim);
    }
}
