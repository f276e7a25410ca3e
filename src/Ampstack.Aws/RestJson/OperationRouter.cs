using Ampstack.Aws.Model;

namespace Ampstack.Aws.RestJson;

/// <summary>
/// Finds the operation for a method, path and query from the model's <c>requestUri</c> templates (rest protocols). Among
/// templates that match, the one with more literal segments wins, so <c>/backend/{appId}/config/update</c> beats any
/// label at that position; then the one that asks for more query keys (S3's <c>/{Bucket}?list-type=2</c> before
/// <c>/{Bucket}</c>). A greedy label (<c>{Key+}</c>) takes the rest of the path, slashes included. Optionally a
/// <c>/prod</c> prefix (the real AmplifyBackend's API Gateway stage) is accepted as an alias.
/// </summary>
public sealed class OperationRouter
{
    private const string StagePrefix = "/prod";
    private readonly List<Route> _routes;
    private readonly bool _acceptStagePrefix;

    public OperationRouter(ServiceModel model, bool acceptStagePrefix = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        _acceptStagePrefix = acceptStagePrefix;
        _routes = model.Operations.Values.Select(Route.From)
            .OrderByDescending(r => r.LiteralCount)
            .ThenByDescending(r => r.Query.Count)
            .ToList();
    }

    /// <summary>True when some operation's template matches the path, whatever its method (for CORS preflight).</summary>
    public bool PathExists(string path) => _routes.Any(r => r.Match(Segments(path)) is not null);

    /// <summary>The operation for the method (case-sensitive, as HTTP methods are), path and query keys, or null.</summary>
    public RouteMatch? Match(string method, string path, IReadOnlyCollection<KeyValuePair<string, string>>? query = null)
    {
        var segments = Segments(path);
        foreach (var route in _routes)
        {
            if (string.Equals(route.Operation.HttpMethod, method, StringComparison.Ordinal)
                && route.QueryMatches(query ?? [])
                && route.Match(segments) is { } labels)
            {
                return new RouteMatch(route.Operation, labels);
            }
        }

        return null;
    }

    private string[] Segments(string path)
    {
        if (_acceptStagePrefix && path.StartsWith(StagePrefix + "/", StringComparison.Ordinal))
        {
            path = path[StagePrefix.Length..];
        }

        // Every segment after the leading '/', each decoded once (a segment with nothing to decode is kept as it is).
        var parts = path.Trim().TrimEnd('/').Split('/');
        var segments = new string[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            segments[i - 1] = Uri.UnescapeDataString(parts[i]);
        }

        return segments;
    }

    private sealed record Route(
        Operation Operation,
        string?[] Literals,
        string?[] Labels,
        bool Greedy,
        int LiteralCount,
        IReadOnlyList<(string Key, string? Value)> Query)
    {
        public static Route From(Operation operation)
        {
            var split = operation.RequestUri.Split('?', 2);
            var parts = split[0].TrimEnd('/').Split('/')[1..];
            var literals = new string?[parts.Length];
            var labels = new string?[parts.Length];
            var greedy = false;
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].StartsWith('{') && parts[i].EndsWith('}'))
                {
                    labels[i] = parts[i][1..^1].TrimEnd('+');
                    greedy = parts[i].EndsWith("+}", StringComparison.Ordinal) && i == parts.Length - 1;
                }
                else
                {
                    literals[i] = parts[i];
                }
            }

            var query = split.Length < 2
                ? []
                : split[1].Split('&', StringSplitOptions.RemoveEmptyEntries)
                    .Select(q => q.Split('=', 2))
                    .Select(kv => (kv[0], kv.Length > 1 ? kv[1] : (string?)null))
                    .ToList();
            return new Route(operation, literals, labels, greedy, literals.Count(l => l is not null), query);
        }

        public bool QueryMatches(IReadOnlyCollection<KeyValuePair<string, string>> query)
        {
            for (var i = 0; i < Query.Count; i++)
            {
                var (key, value) = Query[i];
                if (!query.Any(q => q.Key == key && (value is null || q.Value == value)))
                {
                    return false;
                }
            }

            return true;
        }

        public Dictionary<string, string>? Match(string[] segments)
        {
            if (Greedy ? segments.Length < Literals.Length : segments.Length != Literals.Length)
            {
                return null;
            }

            for (var i = 0; i < Literals.Length; i++)
            {
                if (Literals[i] is { } literal && !string.Equals(literal, segments[i], StringComparison.Ordinal))
                {
                    return null;
                }
            }

            // Matched: only now are the labels' values gathered.
            var values = new Dictionary<string, string>(Literals.Length - LiteralCount, StringComparer.Ordinal);
            for (var i = 0; i < Literals.Length; i++)
            {
                if (Literals[i] is null)
                {
                    values[Labels[i]!] = Greedy && i == Literals.Length - 1 ? string.Join('/', segments[i..]) : segments[i];
                }
            }

            return values;
        }
    }
}

/// <summary>The operation a request is for, with the values of its URI labels (decoded).</summary>
public sealed record RouteMatch(Operation Operation, IReadOnlyDictionary<string, string> Labels);
