using System.Text.RegularExpressions;

namespace Ampstack.ModelGen.Text;

/// <summary>The plural rules of the <c>pluralize</c> npm package (8.0.0) in its order, as source-generated regular expressions.</summary>
internal static partial class PluralRules
{
    // GraphQL names are ASCII, where .NET and JavaScript regular expressions agree (\b, \w, case folding).
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Rules in the order the package adds them (it tries them last to first).</summary>
    public static readonly (Regex Rule, string Replacement)[] All =
    [
        (Rule00(), "s"),
        (Rule01(), "$0"),
        (Rule02(), "$1"),
        (Rule03(), "$1es"),
        (Rule04(), "$1es"),
        (Rule05(), "$1s"),
        (Rule06(), "$1"),
        (Rule07(), "$1i"),
        (Rule08(), "$1ae"),
        (Rule09(), "$1im"),
        (Rule10(), "$1oes"),
        (Rule11(), "$1a"),
        (Rule12(), "$1a"),
        (Rule13(), "ses"),
        (Rule14(), "$1$2ves"),
        (Rule15(), "$1ies"),
        (Rule16(), "$1ies"),
        (Rule17(), "$1es"),
        (Rule18(), "$1ices"),
        (Rule19(), "$1ice"),
        (Rule20(), "$1ople"),
        (Rule21(), "$1ren"),
        (Rule22(), "$0"),
        (Rule23(), "men"),
        (Rule24(), "you"),
        (Rule25(), "$0"),
        (Rule26(), "$0"),
        (Rule27(), "$0"),
        (Rule28(), "$0"),
        (Rule29(), "$0"),
        (Rule30(), "$0"),
        (Rule31(), "$0"),
        (Rule32(), "$0"),
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

    [GeneratedRegex("(agend|addend|millenni|dat|extrem|bacteri|desiderat|strat|candelabr|errat|ov|symposi|curricul|automat|quor)(?:a|um)$", Options)]
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
