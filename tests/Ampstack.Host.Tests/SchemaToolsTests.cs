namespace Ampstack.Host.Tests;

public sealed class SchemaToolsTests
{
    private readonly SchemaTools _tools = new();

    [Fact]
    public void Counts_the_object_types_marked_model()
    {
        var check = _tools.Check("""
            type A @model { id: ID! }
            type B @model @auth(rules: [{ allow: public }]) { id: ID! }
            type C { id: ID! }
            enum E { X }
            """);
        Assert.Null(check.SyntaxError);
        Assert.Equal(2, check.ModelCount);
    }

    [Fact]
    public void A_syntax_error_names_line_and_column()
    {
        var check = _tools.Check("type A @model {\n  id: ID!\n  name String\n}");
        Assert.StartsWith("line 3, column 8:", check.SyntaxError, StringComparison.Ordinal);
        Assert.Equal(0, check.ModelCount);
    }
}
