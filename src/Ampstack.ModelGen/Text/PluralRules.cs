using System.Text.RegularExpressions;

namespace Ampstack.ModelGen.Text;

/// <summary>A pluralization rule: its pattern, replacement and possible last letters (see <see cref="PluralRules.All"/>).</summary>
internal sealed record PluralRule(Regex Rule, string Replacement, string? LastLetters)
{
    /// <summary>False when the rule cannot match <paramref name="word"/>, judged by its last character alone.</summary>
    public bool MayMatch(string word)
    {
        // Only for an ASCII letter or digit at the end: there the case-insensitive `$`-anchored rules are exact.
        var last = word[^1];
        return LastLetters is null || !char.IsAsciiLetterOrDigit(last)
            || LastLetters.Contains(char.ToLowerInvariant(last), StringComparison.Ordinal);
    }
}

/// <summary>The plural rules of the <c>pluralize</c> npm package (8.0.0) in its order, as source-generated regular expressions.</summary>
internal static partial class PluralRules
{
    // GraphQL names are ASCII, where .NET and JavaScript regular expressions agree (\b, \w, case folding).
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>
    /// Rules in the order the package adds them (it tries them last to first), each with the lower-case letters an ASCII
    /// word must end with for the rule to match (null: any ending), so that most rules are ruled out without running them.
    /// </summary>
    public static readonly PluralRule[] All =
    [
        new(Rule00(), "s", null),
        new(Rule01(), "$0", null),
        new(Rule02(), "$1", "e"),
        new(Rule03(), "$1es", "s"),
        new(Rule04(), "$1es", "s"),
        new(Rule05(), "$1s", "us"),
        new(Rule06(), "$1", "sm"),
        new(Rule07(), "$1i", "si"),
        new(Rule08(), "$1ae", "ae"),
        new(Rule09(), "$1im", "hbm"),
        new(Rule10(), "$1oes", "o"),
        new(Rule11(), "$1a", "am"),
        new(Rule12(), "$1a", "an"),
        new(Rule13(), "ses", "s"),
        new(Rule14(), "$1$2ves", "ef"),
        new(Rule15(), "$1ies", "y"),
        new(Rule16(), "$1ies", "y"),
        new(Rule17(), "$1es", "xhsz"),
        new(Rule18(), "$1ices", "x"),
        new(Rule19(), "$1ice", "e"),
        new(Rule20(), "$1ople", "ne"),
        new(Rule21(), "$1ren", "dn"),
        new(Rule22(), "$0", "x"),
        new(Rule23(), "men", "n"),
        new(Rule24(), "you", "u"),
        new(Rule25(), "$0", "n"),
        new(Rule26(), "$0", "e"),
        new(Rule27(), "$0", "r"),
        new(Rule28(), "$0", "h"),
        new(Rule29(), "$0", "s"),
        new(Rule30(), "$0", "s"),
        new(Rule31(), "$0", "x"),
        new(Rule32(), "$0", "p"),
    ];

    [GeneratedRegex("s?$", Options)]
    private static partial Regex Rule00();

    [GeneratedRegex("[^\\u0000-\\u007F]$", Options)]
    private static partial Regex Rule01();

    [GeneratedRegex("([^aeiou]ese)$", Options)]
    private static partial Regex Rule02();

    [GeneratedRegex("(ax|test)is$", Options)]
    private static partial Regex Rule03();

    [GeneratedRegex("(alias|[^aou]us|t[lm]as|gas|ris)$", Options)]
    private static partial Regex Rule04();

    [GeneratedRegex("(e[mn]u)s?$", Options)]
    private static partial Regex Rule05();

    [GeneratedRegex("([^l]ias|[aeiou]las|[ejzr]as|[iu]am)$", Options)]
    private static partial Regex Rule06();

    [GeneratedRegex("(alumn|syllab|vir|radi|nucle|fung|cact|stimul|termin|bacill|foc|uter|loc|strat)(?:us|i)$", Options)]
    private static partial Regex Rule07();

    [GeneratedRegex("(alumn|alg|vertebr)(?:a|ae)$", Options)]
    private static partial Regex Rule08();

    [GeneratedRegex("(seraph|cherub)(?:im)?$", Options)]
    private static partial Regex Rule09();

    [GeneratedRegex("(her|at|gr)o$", Options)]
    private static partial Regex Rule10();

    [GeneratedRegex("(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)(?:a|um)$",
        Options)]
    private static partial Regex Rule11();

    [GeneratedRegex("(apheli|hyperbat|periheli|asyndet|noumen|phenomen|criteri|organ|prolegomen|hedr|automat)(?:a|on)$", Options)]
    private static partial Regex Rule12();

    [GeneratedRegex("sis$", Options)]
    private static partial Regex Rule13();

    [GeneratedRegex("(?:(kni|wi|li)fe|(ar|l|ea|eo|oa|hoo)f)$", Options)]
    private static partial Regex Rule14();

    [GeneratedRegex("([^aeiouy]|qu)y$", Options)]
    private static partial Regex Rule15();

    [GeneratedRegex("([^ch][ieo][ln])ey$", Options)]
    private static partial Regex Rule16();

    [GeneratedRegex("(x|ch|ss|sh|zz)$", Options)]
    private static partial Regex Rule17();

    [GeneratedRegex("(matr|cod|mur|sil|vert|ind|append)(?:ix|ex)$", Options)]
    private static partial Regex Rule18();

    [GeneratedRegex("\\b((?:tit)?m|l)(?:ice|ouse)$", Options)]
    private static partial Regex Rule19();

    [GeneratedRegex("(pe)(?:rson|ople)$", Options)]
    private static partial Regex Rule20();

    [GeneratedRegex("(child)(?:ren)?$", Options)]
    private static partial Regex Rule21();

    [GeneratedRegex("eaux$", Options)]
    private static partial Regex Rule22();

    [GeneratedRegex("m[ae]n$", Options)]
    private static partial Regex Rule23();

    [GeneratedRegex("^thou$", Options)]
    private static partial Regex Rule24();

    [GeneratedRegex("pok[eé]mon$", Options)]
    private static partial Regex Rule25();

    [GeneratedRegex("[^aeiou]ese$", Options)]
    private static partial Regex Rule26();

    [GeneratedRegex("deer$", Options)]
    private static partial Regex Rule27();

    [GeneratedRegex("fish$", Options)]
    private static partial Regex Rule28();

    [GeneratedRegex("measles$", Options)]
    private static partial Regex Rule29();

    [GeneratedRegex("o[iu]s$", Options)]
    private static partial Regex Rule30();

    [GeneratedRegex("pox$", Options)]
    private static partial Regex Rule31();

    [GeneratedRegex("sheep$", Options)]
    private static partial Regex Rule32();
}
