using Ampstack.Aws.Model;

namespace Ampstack.Aws.RestJson;

/// <summary>
/// Finds the operation for a method and path from the model's <c>requestUri</c> templates. Among templates that match, the
/// one with more literal segments wins, so <c>/backend/{appId}/config/update</c> beats any label at that position.
/// A <c>/prod</c> prefix (the real service's API Gateway stage) is accepted as an alias.
/// </summary>
public sealed class OperationRouter
{
    private const string StagePrefix = "/prod";
    private readonly List<Route> _routes;

    public OperationRouter(ServiceModel model)
    {
        _routes = model.Operations.Values.Select(Route.From)
            .OrderByDescending(r => r.LiteralCount)
            .ToList();
    }

    /// <summary>True when some operation's template matches the path, whatever its method (for CORS preflight).</summary>
    public bool PathExists(string path) => _routes.Any(r => r.Match(Segments(path)) is not null);

    /// <summary>The operation for the method (case-sensitive, as HTTP methods are) and path, or null.</summary>
    public RouteMatch? Match(string method, string path)
    {
        var segments = Segments(path);
        foreach (var route in _routes)
        {
            if (string.Equals(route.Operation.HttpMethod, method, StringComparison.Ordinal) && route.Match(segments) is { } labels)
            {
                return new RouteMatch(route.Operation, labels);
            }
        }

        return null;
    }

    private static string[] Segments(string path)
    {
        if (path.StartsWith(StagePrefix + "/", StringComparison.Ordinal))
        {
            path = path[StagePrefix.Length..];
        }

        return path.Trim().TrimEnd('/').Split('/')[1..].Select(Uri.UnescapeDataString).ToArray();
    }

    private sealed record Route(Operation Operation, string?[] Literals, string?[] Labels, int LiteralCount)
    {
        public static Route From(Operation operation)
        {
            var template = operation.RequestUri.Split('?')[0].TrimEnd('/');
            var parts = template.Split('/')[1..];
            var literals = new string?[parts.Length];
            var labels = new string?[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (parts[i].StartsWith('{') && parts[i].EndsWith('}'))
                {
                    labels[i] = parts[i][1..^1].TrimEnd('+');
                }
                else
                {
                    literals[i] = parts[i];
                }
            }

            return new Route(operation, literals, labels, literals.Count(l => l is not null));
        }

        public Dictionary<string, string>? Match(string[] segments)
        {
            if (segments.Length != Literals.Length)
            {
                return null;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < segments.Length; i++)
            {
                if (Literals[i] is { } literal)
                {
                    if (!string.Equals(literal, segments[i], StringComparison.Ordinal))
                    {
                        return null;
                    }
                }
                else
                {
                    values[Labels[i]!] = segments[i];
                }
            }

            return values;
        }
    }
}

/// <summary>The operation a request is for, with the values of its URI labels (decoded).</summary>
public sealed record RouteMatch(Operation Operation, IReadOnlyDictionary<string, string> Labels);
