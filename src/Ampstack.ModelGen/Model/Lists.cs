namespace Ampstack.ModelGen.Model;

/// <summary>List helpers for the hot paths, where LINQ's iterators and regrown lists add up over thousands of fields.</summary>
internal static class Lists
{
    /// <summary><c>items.Select(map).ToList()</c> into a list of the right size (an absent list maps to an empty one).</summary>
    public static List<TOut> Map<TIn, TOut>(List<TIn>? items, Func<TIn, TOut> map)
    {
        if (items is null || items.Count == 0)
        {
            return [];
        }

        var result = new List<TOut>(items.Count);
        foreach (var item in items)
        {
            result.Add(map(item));
        }

        return result;
    }
}
