namespace Ampstack.Domain.Common;

/// <summary>Checks on the names clients choose: app ids, environment names, resource names, bucket names.</summary>
public static class Identifiers
{
    public const int MaxLength = 255;

    /// <summary>An identifier is 1 to 255 characters without control characters.</summary>
    public static string Require(string? value, string member)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw DomainException.Invalid($"'{member}' must not be empty.");
        }

        if (value.Length > MaxLength)
        {
            throw DomainException.Invalid($"'{member}' is {value.Length} characters long; the limit is {MaxLength}.");
        }

        if (value.Any(char.IsControl))
        {
            throw DomainException.Invalid($"'{member}' must not contain control characters.");
        }

        return value;
    }

    /// <summary>
    /// S3's bucket naming rules: 3 to 63 of lowercase letters, digits, dots and hyphens, starting and ending with a letter
    /// or digit.
    /// </summary>
    public static string RequireBucketName(string value, string member)
    {
        var valid = value.Length is >= 3 and <= 63
            && value.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')
            && char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
            && !value.Contains("..", StringComparison.Ordinal);
        return valid
            ? value
            : throw DomainException.Invalid(
                $"'{member}' value '{(value.Length > 70 ? value[..70] + "..." : value)}' is not a valid S3 bucket name: " +
                "use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.");
    }
}
