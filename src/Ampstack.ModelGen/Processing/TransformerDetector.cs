using System.Text.RegularExpressions;
using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen.Processing;

/// <summary>
/// The reference runner's automatic choice: v1 when the schema uses @key, @connection or @versioned and no v2
/// directive, else v2. Comments are stripped the same rough way (a <c>#</c> with no <c>"</c> before it on its line).
/// </summary>
internal static partial class TransformerDetector
{
    [GeneratedRegex(@"@(key|connection|versioned)\b", RegexOptions.ECMAScript)]
    private static partial Regex V1Markers();

    [GeneratedRegex(@"@(primaryKey|index|hasMany|hasOne|belongsTo|manyToMany|default|mapsTo|refersTo)\b", RegexOptions.ECMAScript)]
    private static partial Regex V2Markers();

    public static TransformerVersion Detect(string sdl)
    {
        var v1 = false;
        foreach (var line in CodeParts(sdl))
        {
            // A marker always lies within one line, and a line break is a word boundary, so line by line is the same.
            if (V2Markers().IsMatch(line))
            {
                return TransformerVersion.V2;
            }

            v1 = v1 || V1Markers().IsMatch(line);
        }

        return v1 ? TransformerVersion.V1 : TransformerVersion.V2;
    }

    /// <summary>Each line without its comment.</summary>
    private static IEnumerable<string> CodeParts(string sdl)
    {
        var start = 0;
        while (start <= sdl.Length)
        {
            var end = sdl.IndexOf('\n', start);
            if (end < 0)
            {
                end = sdl.Length;
            }

            var line = sdl.AsSpan(start, end - start);
            var hash = line.IndexOf('#');
            if (hash >= 0 && !line[..hash].Contains('"'))
            {
                line = line[..hash];
            }

            if (line.Contains('@'))
            {
                yield return line.ToString();
            }

            start = end + 1;
        }
    }
}
