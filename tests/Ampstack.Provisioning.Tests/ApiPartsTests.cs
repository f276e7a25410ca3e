using Ampstack.Provisioning.Api;

namespace Ampstack.Provisioning.Tests;

public sealed class ApiPartsTests
{
    [Fact]
    public void Tables_take_their_keys_and_indexes_from_the_model_generators_introspection()
    {
        var introspection = """
            {"models":{
              "Order":{"fields":{"customerEmail":{"type":"String"},"createdAt":{"type":"AWSDateTime"},"total":{"type":"Int"},
                "status":{"type":"String"}},
                "primaryKeyInfo":{"isCustomPrimaryKey":true,"primaryKeyFieldName":"customerEmail","sortKeyFieldNames":["createdAt"]},
                "attributes":[{"type":"model","properties":{}},{"type":"key","properties":{"fields":["customerEmail","createdAt"]}},
                  {"type":"key","properties":{"name":"byTotal","fields":["total"]}},
                  {"type":"key","properties":{"name":"byStatus","fields":["status","total","createdAt"]}}]},
              "Todo":{"fields":{"id":{"type":"ID"}},"primaryKeyInfo":{"primaryKeyFieldName":"id","sortKeyFieldNames":[]},
                "attributes":[{"type":"model","properties":{}}]}}}
            """;
        var tables = ModelTables.FromIntrospection(introspection);
        var order = Assert.Single(tables, t => t.Model == "Order");
        Assert.Equal(("customerEmail", "createdAt"), (order.HashKey, order.RangeKey));
        Assert.Equal([new ModelIndex("byTotal", "total", null), new ModelIndex("byStatus", "status", "total#createdAt")], order.Indexes);
        Assert.Equal("N", order.AttributeTypes["total"]);
        Assert.Equal("S", order.AttributeTypes["total#createdAt"]);
        Assert.Equal("Order-abc-dev", order.TableName("abc", "dev"));
        var todo = Assert.Single(tables, t => t.Model == "Todo");
        Assert.Equal(("id", (string?)null), (todo.HashKey, todo.RangeKey));
        Assert.Empty(todo.Indexes);
    }

    [Fact]
    public void Relation_indexes_go_on_the_related_tables_keyed_as_the_transformer_keys_them()
    {
        var introspection = """
            {"models":{
              "Post":{"fields":{"id":{"type":"ID"}},"primaryKeyInfo":{"primaryKeyFieldName":"id","sortKeyFieldNames":[]},
                "attributes":[{"type":"model","properties":{}},{"type":"key","properties":{"name":"byTitle","fields":["title"]}}]},
              "Blog":{"fields":{"id":{"type":"ID"}},"primaryKeyInfo":{"primaryKeyFieldName":"id","sortKeyFieldNames":[]},
                "attributes":[{"type":"model","properties":{}}]}}}
            """;
        var tables = ModelTables.WithRelations(ModelTables.FromIntrospection(introspection),
        [
            new RelationIndex("Post", "gsi-Blog.posts", [("blogPostsId", "ID")]),
            new RelationIndex("Post", "gsi-Floor.posts", [("floorPostsBuilding", "Int"), ("floorPostsLevel", "Float")]),
            new RelationIndex("Post", "gsi-Album.posts",
                [("albumPostsArtist", "String"), ("albumPostsYear", "Int"), ("albumPostsTitle", "String")]),
            new RelationIndex("Post", "byTitle", [("other", "String")]),
        ]);
        var post = Assert.Single(tables, t => t.Model == "Post");
        Assert.Equal(["byTitle", "gsi-Blog.posts", "gsi-Floor.posts", "gsi-Album.posts"], post.Indexes.Select(i => i.Name));
        Assert.Equal(new ModelIndex("gsi-Blog.posts", "blogPostsId", null), post.Indexes[1]);
        Assert.Equal(new ModelIndex("gsi-Floor.posts", "floorPostsBuilding", "floorPostsLevel"), post.Indexes[2]);
        Assert.Equal(new ModelIndex("gsi-Album.posts", "albumPostsArtist", "albumPostsYear#albumPostsTitle"), post.Indexes[3]);
        Assert.Equal(("S", "N", "N", "S"), (post.AttributeTypes["blogPostsId"], post.AttributeTypes["floorPostsBuilding"],
            post.AttributeTypes["floorPostsLevel"], post.AttributeTypes["albumPostsYear#albumPostsTitle"]));
        Assert.DoesNotContain("other", post.AttributeTypes.Keys);
        Assert.Empty(Assert.Single(tables, t => t.Model == "Blog").Indexes);
    }
}
