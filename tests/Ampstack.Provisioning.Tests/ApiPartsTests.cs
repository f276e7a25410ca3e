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
}
