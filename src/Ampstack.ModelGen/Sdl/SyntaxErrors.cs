using System.Globalization;
using System.Text.RegularExpressions;

namespace Ampstack.ModelGen.Sdl;

/// <summary>
/// GraphQL-Parser's syntax error descriptions reworded as graphql-js 15 words them (the reference parses with
/// graphql-js): punctuators in quotes, <c>&lt;EOF&gt;</c>, a closing full stop, and no link to the spec.
/// A description of a shape not listed here keeps its own words.
/// </summary>
internal static partial class SyntaxErrors
{
    private const string SpecLink = "; for more information see ";

    public static string Describe(string description)
    {
        var text = description;
        var link = text.IndexOf(SpecLink, StringComparison.Ordinal);
        if (link >= 0)
        {
            text = text[..link];
        }

        if (Expected().Match(text) is { Success: true } expected)
        {
            var found = Token(expected.Groups["found"].Value);

            // Where a definition keyword is expected, graphql-js calls the token unexpected.
            return expected.Groups["expected"].Value.Contains('/', StringComparison.Ordinal)
                ? $"Unexpected {found}."
                : $"Expected {Token(expected.Groups["expected"].Value)}, found {found}.";
        }

        if (UnexpectedCharacter().Match(text) is { Success: true } character)
        {
            return character.Groups["char"].Value == "\"'\""
                ? "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                : $"Cannot parse the unexpected character {Character(character.Groups["char"].Value)}.";
        }

        if (InvalidCharacter().Match(text) is { Success: true } invalid)
        {
            // GraphQL-Parser writes the code in decimal after \u.
            return $"{InvalidCharacterPrefix(invalid.Groups["where"].Value)}" +
                $"{PrintCharCode(int.Parse(invalid.Groups["code"].Value, CultureInfo.InvariantCulture))}.";
        }

        if (ExpectedDigit().Match(text) is { Success: true } digit)
        {
            return $"Invalid number, expected digit but got: {Character(digit.Groups["char"].Value)}.";
        }

        if (Unexpected().Match(text) is { Success: true } unexpected)
        {
            return $"Unexpected {Token(unexpected.Groups["found"].Value)}.";
        }

        return text switch
        {
            "Unterminated block string." => "Unterminated string.",
            _ when text.EndsWith('.') => text,
            _ => text + ".",
        };
    }

    private static string InvalidCharacterPrefix(string where) => where switch
    {
        "" => "Cannot contain the invalid character ",
        _ => "Invalid character within String: ",
    };

    /// <summary>graphql-js <c>getTokenDesc</c>: <c>&lt;EOF&gt;</c>, a punctuator in quotes, or a kind and its value as they are.</summary>
    private static string Token(string description) => description switch
    {
        "EOF" => "<EOF>",
        "!" or "$" or "&" or "(" or ")" or "..." or ":" or "=" or "@" or "[" or "]" or "{" or "|" or "}" => $"\"{description}\"",
        _ => description,
    };

    /// <summary>
    /// A character GraphQL-Parser wrote in quotes, written again as graphql-js <c>printCharCode</c> writes it. Where
    /// the source has a <c>\uXXXX</c> escape outside a string, GraphQL-Parser names the escape and graphql-js the backslash.
    /// </summary>
    private static string Character(string quoted) => quoted switch
    {
        ['"', var c, '"'] => PrintCharCode(c),
        ['"', '\\', 'u', _, _, _, _, '"'] => PrintCharCode('\\'),
        _ => quoted,
    };

    /// <summary>graphql-js <c>printCharCode</c>: ASCII as <c>JSON.stringify</c> writes it, anything else as <c>"\uXXXX"</c>.</summary>
    private static string PrintCharCode(int code) => code switch
    {
        '"' => "\"\\\"\"",
        '\\' => "\"\\\\\"",
        '\b' => "\"\\b\"",
        '\t' => "\"\\t\"",
        '\n' => "\"\\n\"",
        '\f' => "\"\\f\"",
        '\r' => "\"\\r\"",
        < 0x20 => $"\"\\u{code:x4}\"",
        >= 0x7f => $"\"\\u{code:X4}\"",
        _ => $"\"{(char)code}\"",
    };

    [GeneratedRegex("""^Expected (?<expected>"[^"]*"|[^ ,]+), found (?<found>.+)$""", RegexOptions.Singleline)]
    private static partial Regex Expected();

    [GeneratedRegex("""^Unexpected character (?<char>.+)$""", RegexOptions.Singleline)]
    private static partial Regex UnexpectedCharacter();

    [GeneratedRegex("""^Invalid character (?<where>within (?:block )?[Ss]tring: )?"?\\u(?<code>[0-9]{4})"?\.$""")]
    private static partial Regex InvalidCharacter();

    [GeneratedRegex("""^Invalid number, expected digit but got: (?<char>.+)$""", RegexOptions.Singleline)]
    private static partial Regex ExpectedDigit();

    [GeneratedRegex("""^Unexpected (?<found>.+)$""", RegexOptions.Singleline)]
    private static partial Regex Unexpected();
}
