using Ampstack.ModelGen.Sdl;

namespace Ampstack.ModelGen;

/// <summary>
/// The schema is not valid GraphQL, or Amplify's codegen rejects it. <see cref="Exception.Message"/> names the line
/// and column (and the type or field at fault) where they are known.
/// </summary>
public sealed class ModelGenException : Exception
{
    public ModelGenException()
    {
    }

    public ModelGenException(string message)
        : base(message)
    {
    }

    public ModelGenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="reason">What is wrong.</param>
    /// <param name="pos">Where, when known (a default position, from a parse without positions, counts as unknown).</param>
    /// <param name="subject">The type or field at fault.</param>
    internal ModelGenException(string reason, SourcePos? pos, string? subject)
        : base(Format(reason, Known(pos), subject))
    {
        Reason = reason;
        Line = Known(pos)?.Line;
        Column = Known(pos)?.Column;
        Subject = subject;
    }

    /// <summary>1-based line of the construct at fault, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column of the construct at fault, when known.</summary>
    public int? Column { get; }

    /// <summary>The type or field at fault (for example <c>Post.comments</c>), when known.</summary>
    public string? Subject { get; }

    /// <summary>The reason alone, without position or subject.</summary>
    public string? Reason { get; }

    private static SourcePos? Known(SourcePos? pos) => pos is { Line: > 0 } ? pos : null;

    private static string Format(string reason, SourcePos? pos, string? subject)
    {
        var where = (pos, subject) switch
        {
            ({ } p, { } s) => $" ({s}, {p})",
            ({ } p, null) => $" ({p})",
            (null, { } s) => $" ({s})",
            _ => string.Empty,
        };
        return reason + where;
    }
}
