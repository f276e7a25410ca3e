using System.Text;
using System.Text.RegularExpressions;

namespace Ampstack.ModelGen.Text;

/// <summary>The name transforms the reference uses (<c>change-case</c> 4, <c>graphql-transformer-common</c>).</summary>
internal static partial class ChangeCase
{
    [GeneratedRegex("([a-z0-9])([A-Z])", RegexOptions.CultureInvariant)]
    private static partial Regex SplitLowerUpper();

    [GeneratedRegex("([A-Z])([A-Z][a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex SplitUpperUpperLower();

    [GeneratedRegex("[^A-Za-z0-9]+", RegexOptions.CultureInvariant)]
    private static partial Regex Strip();

    [GeneratedRegex("^[^_A-Za-z]+|[^_0-9A-Za-z]", RegexOptions.CultureInvariant)]
    private static partial Regex NotGraphQLName();

    /// <summary>change-case <c>noCase</c> words.</summary>
    private static string[] Words(string input)
    {
        var result = SplitLowerUpper().Replace(input, "$1\0$2");
        result = SplitUpperUpperLower().Replace(result, "$1\0$2");
        result = Strip().Replace(result, "\0");
        result = result.Trim('\0');
        return result.Split('\0');
    }

    /// <summary><c>constantCase</c>: "fooBar" becomes "FOO_BAR".</summary>
    public static string ConstantCase(string input) =>
        IsConstantCase(input) ? input : string.Join("_", Words(input).Select(w => w.ToUpperInvariant()));

    /// <summary>
    /// Whether <see cref="ConstantCase"/> leaves the input as it is (as for most enum values): upper-case letters and
    /// digits in words joined by single underscores, and no digit followed by a letter (where a word would split).
    /// </summary>
    private static bool IsConstantCase(string input)
    {
        if (input.Length == 0 || input[0] == '_' || input[^1] == '_')
        {
            return false;
        }

        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            var ok = c switch
            {
                '_' => input[i - 1] != '_',
                >= 'A' and <= 'Z' => i == 0 || !char.IsAsciiDigit(input[i - 1]),
                _ => char.IsAsciiDigit(c),
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>camelCase</c>: "BlogPost" becomes "blogPost".</summary>
    public static string CamelCase(string input) => JoinWords(input, pascal: false);

    /// <summary><c>pascalCase</c>: "sendMessage" becomes "SendMessage".</summary>
    public static string PascalCase(string input) => JoinWords(input, pascal: true);

    /// <summary>
    /// change-case's camel/pascal transforms: each word capitalized (the first only for pascal), a later word starting
    /// with a digit gets a <c>_</c>.
    /// </summary>
    private static string JoinWords(string input, bool pascal)
    {
        var words = Words(input);
        var sb = new StringBuilder(input.Length);
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (i == 0 && !pascal)
            {
                sb.Append(word.ToLowerInvariant());
            }
            else if (word.Length > 0)
            {
                var first = word[0];
                if (i > 0 && first is >= '0' and <= '9')
                {
                    sb.Append('_').Append(first);
                }
                else
                {
                    sb.Append(char.ToUpperInvariant(first));
                }

                sb.Append(word[1..].ToLowerInvariant());
            }
        }

        return sb.ToString();
    }

    /// <summary>First letter upper case.</summary>
    public static string ToUpper(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    /// <summary>First letter lower case.</summary>
    public static string ToLower(string word) => word.Length == 0 ? word : char.ToLowerInvariant(word[0]) + word[1..];

    /// <summary>The plugin's <c>toCamelCase(words)</c>: first word lower-cased first letter, the rest upper-cased first letter.</summary>
    public static string JoinCamel(params string[] words) =>
        string.Concat(words.Select((w, i) => i == 0 ? ToLower(w) : ToUpper(w)));

    /// <summary><c>graphqlName</c>: drops characters a GraphQL name cannot have.</summary>
    public static string GraphQLName(string value) =>
        value.Trim().Length == 0 ? string.Empty : NotGraphQLName().Replace(value, string.Empty);
}
