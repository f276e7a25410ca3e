using Ampstack.ModelGen.Sdl;
using Ampstack.ModelGen.Text;

namespace Ampstack.ModelGen.Transform;

/// <summary>The searchable transformer: <c>searchXs</c> queries and their filter, sort and aggregation types.</summary>
internal sealed partial class GraphQLTransform
{
    private static readonly string[] SearchableStringConditions =
    [
        "ne", "gt", "lt", "gte", "lte", "eq", "match", "matchPhrase", "matchPhrasePrefix", "multiMatch", "exists", "wildcard", "regexp",
        "range",
    ];

    private static readonly string[] SearchableNumberConditions = ["ne", "gt", "lt", "gte", "lte", "eq", "range"];

    /// <summary>The aggregate types every searchable model shares (they take the auth directives of all of them).</summary>
    private static readonly string[] SearchableAggregateTypes =
    [
        "SearchableAggregateResult", "SearchableAggregateScalarResult", "SearchableAggregateBucketResult",
        "SearchableAggregateBucketResultItem",
    ];

    private readonly List<(ModelInfo Model, string Query)> _searchable = [];
    private bool _searchableRead;

    /// <summary>What the transformer adds while it reads the schema: the connection, aggregate types and the query.</summary>
    private void SearchableObjects()
    {
        if (_searchableRead)
        {
            return;
        }

        _searchableRead = true;
        foreach (var model in _models)
        {
            if (model.Source.Directives.Find(d => d.Name == "searchable") is not { } directive)
            {
                continue;
            }

            var query = Arg(directive, "queries") switch
            {
                null => "search" + ChangeCase.ToUpper(Pluralizer.Plural(model.Name)),
                { Fields: { } fields } => fields.Find(f => f.Key == "search").Value is { Kind: SdlValueKind.String } v ? v.Text : null,
                _ => null,
            };
            if (query is null)
            {
                continue;
            }

            _searchable.Add((model, query));
            var name = model.Name;
            _out.Add(new OutType(OutKind.Object, $"Searchable{name}Connection")
            {
                Fields =
                [
                    new("items", $"[{name}]!"), new("nextToken", "String"), new("total", "Int"),
                    new("aggregateItems", "[SearchableAggregateResult]!"),
                ],
            });
            _out.Add(new OutType(OutKind.Object, "SearchableAggregateResult")
            {
                Fields = [new("name", "String!"), new("result", "SearchableAggregateGenericResult")],
            });
            if (!_out.Has("SearchableAggregateGenericResult"))
            {
                _out.Add(new OutType(OutKind.Object, "SearchableAggregateScalarResult") { Fields = [new("value", "Float!")] });
                _out.Add(new OutType(OutKind.Object, "SearchableAggregateBucketResult")
                {
                    Fields = [new("buckets", "[SearchableAggregateBucketResultItem]")],
                });
                _out.Add(new OutType(OutKind.Object, "SearchableAggregateBucketResultItem")
                {
                    Fields = [new("key", "String!"), new("doc_count", "Int!")],
                });
                _out.Add(new OutType(OutKind.Union, "SearchableAggregateGenericResult")
                {
                    Members = ["SearchableAggregateScalarResult", "SearchableAggregateBucketResult"],
                });
            }

            _out.Root(_query).AddField(new OutField(query, $"Searchable{name}Connection",
            [
                new("filter", $"Searchable{name}FilterInput"), new("sort", $"[Searchable{name}SortInput]"), new("limit", "Int"),
                new("nextToken", "String"), new("from", "Int"), new("aggregates", $"[Searchable{name}AggregationInput]"),
            ]));
        }
    }

    /// <summary>The searchable transformer's own phase, the chain's last: filter, sort and aggregation inputs.</summary>
    private void SearchablePhase()
    {
        foreach (var (model, _) in _searchable)
        {
            foreach (var scalar in new[] { "String", "Int", "Float", "Boolean", "ID" })
            {
                var conditions = scalar switch
                {
                    "String" or "ID" => SearchableStringConditions,
                    "Boolean" => BooleanConditions.Reverse().ToArray(),
                    _ => SearchableNumberConditions,
                };
                var input = new OutType(OutKind.Input, $"Searchable{scalar}FilterInput");
                foreach (var condition in conditions)
                {
                    input.Fields.Add(new OutField(condition, condition switch
                    {
                        "exists" => "Boolean",
                        "range" => $"[{scalar}]",
                        _ => scalar,
                    }));
                }

                _out.Add(input);
            }

            var name = model.Name;
            var fields = model.Type.Fields;
            var filterName = $"Searchable{name}FilterInput";
            var filter = new OutType(OutKind.Input, filterName);
            filter.Fields.AddRange(fields.Where(f => TypeRefs.IsScalar(f.Type))
                .Select(f => new OutField(f.Name, $"Searchable{TypeRefs.DefaultScalars[TypeRefs.Base(f.Type)]}FilterInput")));
            filter.Fields.AddRange(fields.Where(f => _enums.Contains(TypeRefs.Base(f.Type)))
                .Select(f => new OutField(f.Name, "SearchableStringFilterInput")));
            filter.Fields.AddRange([new("and", $"[{filterName}]"), new("or", $"[{filterName}]"), new("not", filterName)]);
            _out.Add(filter);
            _out.Add(new OutType(OutKind.Enum, "SearchableSortDirection") { Values = ["asc", "desc"] });
            _out.Add(new OutType(OutKind.Enum, $"Searchable{name}SortableFields")
            {
                Values = fields.Where(f => TypeRefs.IsScalar(f.Type)).Select(f => f.Name).ToList(),
            });
            _out.Add(new OutType(OutKind.Input, $"Searchable{name}SortInput")
            {
                Fields = [new("field", $"Searchable{name}SortableFields"), new("direction", "SearchableSortDirection")],
            });
            _out.Add(new OutType(OutKind.Enum, "SearchableAggregateType")
            {
                Values = ["terms", "avg", "min", "max", "sum", "cardinality"],
            });
            _out.Add(new OutType(OutKind.Enum, $"Searchable{name}AggregateField")
            {
                Values = fields.Where(f => TypeRefs.IsScalar(f.Type) || _enums.Contains(TypeRefs.Base(f.Type)))
                    .Select(f => f.Name).ToList(),
            });
            _out.Add(new OutType(OutKind.Input, $"Searchable{name}AggregationInput")
            {
                Fields =
                [
                    new("name", "String!"), new("type", "SearchableAggregateType!"), new("field", $"Searchable{name}AggregateField!"),
                ],
            });
        }
    }
}
