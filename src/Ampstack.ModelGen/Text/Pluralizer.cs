using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;

namespace Ampstack.ModelGen.Text;

/// <summary>The <c>plural</c> function of the <c>pluralize</c> npm package (8.0.0), rule for rule.</summary>
internal static class Pluralizer
{
    // Read-only after type initialization (frozen), so safe to share between concurrent calls.
    private static readonly string[][] Irregular =
    [
        ["I", "we"], ["me", "us"], ["he", "they"], ["she", "they"], ["them", "them"], ["myself", "ourselves"],
        ["yourself", "yourselves"], ["itself", "themselves"], ["herself", "themselves"], ["himself", "themselves"],
        ["themself", "themselves"], ["is", "are"], ["was", "were"], ["has", "have"], ["this", "these"], ["that", "those"],
        ["echo", "echoes"], ["dingo", "dingoes"], ["volcano", "volcanoes"], ["tornado", "tornadoes"], ["torpedo", "torpedoes"],
        ["genus", "genera"], ["viscus", "viscera"], ["stigma", "stigmata"], ["stoma", "stomata"], ["dogma", "dogmata"],
        ["lemma", "lemmata"], ["schema", "schemata"], ["anathema", "anathemata"], ["ox", "oxen"], ["axe", "axes"],
        ["die", "dice"], ["yes", "yeses"], ["foot", "feet"], ["eave", "eaves"], ["goose", "geese"], ["tooth", "teeth"],
        ["quiz", "quizzes"], ["human", "humans"], ["proof", "proofs"], ["carve", "carves"], ["valve", "valves"],
        ["looey", "looies"], ["thief", "thieves"], ["groove", "grooves"], ["pickaxe", "pickaxes"], ["passerby", "passersby"],
    ];

    private static readonly string[] UncountableWords =
    [
        "adulthood", "advice", "agenda", "aid", "aircraft", "alcohol", "ammo", "analytics", "anime", "athletics", "audio",
        "bison", "blood", "bream", "buffalo", "butter", "carp", "cash", "chassis", "chess", "clothing", "cod", "commerce",
        "cooperation", "corps", "debris", "diabetes", "digestion", "elk", "energy", "equipment", "excretion", "expertise",
        "firmware", "flounder", "fun", "gallows", "garbage", "graffiti", "hardware", "headquarters", "health", "herpes",
        "highjinks", "homework", "housework", "information", "jeans", "justice", "kudos", "labour", "literature",
        "machinery", "mackerel", "mail", "media", "mews", "moose", "music", "mud", "manga", "news", "only", "personnel",
        "pike", "plankton", "pliers", "police", "pollution", "premises", "rain", "research", "rice", "salmon", "scissors",
        "series", "sewage", "shambles", "shrimp", "software", "species", "staff", "swine", "tennis", "traffic",
        "transportation", "trout", "tuna", "wealth", "welfare", "whiting", "wildebeest", "wildlife", "you",
    ];

    private static readonly FrozenDictionary<string, string> IrregularSingles =
        Irregular.ToFrozenDictionary(pair => pair[0].ToLowerInvariant(), pair => pair[1].ToLowerInvariant(), StringComparer.Ordinal);

    private static readonly FrozenSet<string> IrregularPlurals =
        Irregular.Select(pair => pair[1].ToLowerInvariant()).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Uncountables = UncountableWords.ToFrozenSet(StringComparer.Ordinal);

    public static string Plural(string word)
    {
        var token = word.ToLowerInvariant();
        if (IrregularPlurals.Contains(token))
        {
            return RestoreCase(word, token);
        }

        if (IrregularSingles.TryGetValue(token, out var irregular))
        {
            return RestoreCase(word, irregular);
        }

        if (token.Length == 0 || Uncountables.Contains(token))
        {
            return word;
        }

        var rules = PluralRules.All;
        for (var i = rules.Length - 1; i >= 0; i--)
        {
            var rule = rules[i];
            if (!rule.MayMatch(word))
            {
                continue;
            }

            var match = rule.Rule.Match(word);
            if (match.Success)
            {
                // String.prototype.replace with a non-global rule: only the first match is replaced.
                var result = Interpolate(rule.Replacement, match);
                var restored = match.Length == 0
                    ? RestoreCase(match.Index > 0 ? word[match.Index - 1].ToString() : string.Empty, result)
                    : RestoreCase(match.Value, result);
                return string.Concat(word.AsSpan(0, match.Index), restored, word.AsSpan(match.Index + match.Length));
            }
        }

        return word;
    }

    /// <summary>Replaces <c>$0</c>..<c>$99</c> with the match's groups (missing ones with nothing).</summary>
    private static string Interpolate(string replacement, Match match)
    {
        if (!replacement.Contains('$', StringComparison.Ordinal))
        {
            return replacement;
        }

        var sb = new StringBuilder(replacement.Length + 8);
        for (var i = 0; i < replacement.Length; i++)
        {
            if (replacement[i] == '$' && i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]))
            {
                var index = replacement[++i] - '0';
                if (i + 1 < replacement.Length && char.IsAsciiDigit(replacement[i + 1]))
                {
                    index = (index * 10) + (replacement[++i] - '0');
                }

                var group = index < match.Groups.Count ? match.Groups[index] : null;
                sb.Append(group is { Success: true } ? group.Value : string.Empty);
            }
            else
            {
                sb.Append(replacement[i]);
            }
        }

        return sb.ToString();
    }

    private static string RestoreCase(string word, string token)
    {
        if (word == token)
        {
            return token;
        }

        if (string.Equals(word, word.ToLowerInvariant(), StringComparison.Ordinal))
        {
            return token.ToLowerInvariant();
        }

        if (string.Equals(word, word.ToUpperInvariant(), StringComparison.Ordinal))
        {
            return token.ToUpperInvariant();
        }

        if (word.Length > 0 && word[0] == char.ToUpperInvariant(word[0]))
        {
            return char.ToUpperInvariant(token[0]) + token[1..].ToLowerInvariant();
        }

        return token.ToLowerInvariant();
    }
}
