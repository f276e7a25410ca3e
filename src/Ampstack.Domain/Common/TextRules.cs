namespace Ampstack.Domain.Common;

/// <summary>
/// What text every store can hold. PostgreSQL's <c>text</c> and <c>jsonb</c> cannot hold the NUL character (U+0000, nor
/// its <c>\u0000</c> escape inside JSON), where SQLite can; so that both stores accept exactly the same inputs, no string
/// that reaches a store may contain it. The wire layer applies the same rule to every string member of every request
/// (<c>RequestParser</c>, with the same wording); this is the rule for text that arrives by other ways (snapshot imports,
/// text the domain builds itself).
/// </summary>
public static class TextRules
{
    /// <summary>The one character no store can hold.</summary>
    public const char Nul = '\0';

    /// <summary>True when every store can hold <paramref name="value"/> (null is fine: it is stored as nothing).</summary>
    public static bool IsStorable(string? value) => value is null || !value.Contains(Nul, StringComparison.Ordinal);

    /// <summary>
    /// Refuses (400 <c>BadRequestException</c> naming <paramref name="memberName"/>) a value that contains the NUL character.
    /// </summary>
    public static void RequireStorable(string? value, string memberName)
    {
        if (!IsStorable(value))
        {
            throw DomainException.Invalid(NotStorableMessage(memberName));
        }
    }

    /// <summary>
    /// The most characters of free text a store indexes (a job's operation, which ListBackendJobs filters on): a
    /// PostgreSQL btree entry holds at most 2,704 bytes, and 255 characters are at most 1,020 bytes of UTF-8 beside the
    /// key's other columns. The same bound as an identifier's.
    /// </summary>
    public const int MaxIndexedLength = Identifiers.MaxLength;

    /// <summary>
    /// Refuses (400 naming <paramref name="memberName"/>) free text a store must index that is longer than
    /// <see cref="MaxIndexedLength"/>, or that holds the NUL character.
    /// </summary>
    public static void RequireIndexable(string? value, string memberName)
    {
        RequireStorable(value, memberName);
        if (value is { Length: > MaxIndexedLength })
        {
            throw DomainException.Invalid($"'{memberName}' is {value.Length} characters long; the limit is {MaxIndexedLength}.");
        }
    }

    /// <summary>The refusal's sentence, the same as the wire layer's.</summary>
    public static string NotStorableMessage(string memberName) =>
        $"Invalid value for '{memberName}': must not contain the NUL character (U+0000).";
}
