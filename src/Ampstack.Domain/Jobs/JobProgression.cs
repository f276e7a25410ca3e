using System.Globalization;

namespace Ampstack.Domain.Jobs;

/// <summary>How jobs move from RUNNING to a terminal state.</summary>
public enum JobProgressionMode
{
    /// <summary>Finished as soon as they are accepted.</summary>
    Immediate,

    /// <summary>Finished by the worker once they have run for the delay.</summary>
    Delay,

    /// <summary>Left RUNNING until UpdateBackendJob sets a terminal status.</summary>
    Manual,
}

/// <summary>The <c>--jobs</c> setting: <c>immediate</c>, <c>delay:&lt;duration&gt;</c> or <c>manual</c>.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Delay">For <see cref="JobProgressionMode.Delay"/>: how long each job runs.</param>
public sealed record JobProgression(JobProgressionMode Mode, TimeSpan Delay)
{
    public static readonly JobProgression Immediate = new(JobProgressionMode.Immediate, TimeSpan.Zero);

    /// <summary>When a job accepted at <paramref name="now"/> may be finished by the worker; null for manual jobs.</summary>
    public long? DueAt(long now) => Mode switch
    {
        JobProgressionMode.Immediate => now,
        JobProgressionMode.Delay => now + (long)Delay.TotalMilliseconds,
        _ => null,
    };

    public static JobProgression Parse(string text)
    {
        var value = text.Trim();
        if (value.Equals("immediate", StringComparison.OrdinalIgnoreCase))
        {
            return Immediate;
        }

        if (value.Equals("manual", StringComparison.OrdinalIgnoreCase))
        {
            return new JobProgression(JobProgressionMode.Manual, TimeSpan.Zero);
        }

        if (value.StartsWith("delay:", StringComparison.OrdinalIgnoreCase))
        {
            return new JobProgression(JobProgressionMode.Delay, Durations.Parse(value["delay:".Length..]));
        }

        throw new FormatException($"'{text}' is not a job progression: use immediate, delay:<duration> (e.g. delay:30s) or manual.");
    }

    public override string ToString() => Mode switch
    {
        JobProgressionMode.Delay => "delay:" + Durations.Format(Delay),
        _ => Mode.ToString().ToLowerInvariant(),
    };
}

/// <summary>Durations on the command line: a number with a unit, <c>250ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>.</summary>
public static class Durations
{
    public static TimeSpan Parse(string text)
    {
        var value = text.Trim();
        var digits = value.TakeWhile(c => char.IsAsciiDigit(c) || c == '.').Count();
        var unit = value[digits..];
        if (digits == 0 || !double.TryParse(value[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"'{text}' is not a duration: use a number with a unit, e.g. 250ms, 30s, 5m, 2h.");
        }

        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" or "" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            "h" => TimeSpan.FromHours(number),
            _ => throw new FormatException($"'{text}' has an unknown unit '{unit}': use ms, s, m or h."),
        };
    }

    public static string Format(TimeSpan value) =>
        value.TotalMilliseconds % 1000 != 0 ? $"{value.TotalMilliseconds:0}ms" : $"{value.TotalSeconds:0}s";
}
