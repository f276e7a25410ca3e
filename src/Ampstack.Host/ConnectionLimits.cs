using System.Runtime.InteropServices;

namespace Ampstack.Host;

/// <summary>
/// How many connections the server can hold: each costs a file descriptor, and a process out of descriptors cannot even
/// load an assembly or open its database. At start the soft descriptor limit is raised to the hard one, and the
/// connection cap is derived from it, leaving room for the runtime, the store's files and the logs. Beyond the cap,
/// Kestrel closes new connections at once, while established ones keep being served.
/// </summary>
public static partial class ConnectionLimits
{
    /// <summary>Descriptors kept for everything but client connections (runtime, assemblies, store files, accept headroom).</summary>
    public const int Reserve = 256;

    /// <summary>The fewest connections the cap allows, however low the descriptor limit.</summary>
    public const int Minimum = 32;

    private const int RlimitNofile = 7;

    /// <summary>The open-file limit in force after trying to raise the soft limit to the hard one; null where unknown.</summary>
    public static long? RaiseDescriptorLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            if (GetRLimit(RlimitNofile, out var limit) != 0)
            {
                return null;
            }

            if (limit.Current < limit.Maximum)
            {
                var raised = limit with { Current = limit.Maximum };
                if (SetRLimit(RlimitNofile, in raised) == 0)
                {
                    limit = raised;
                }
            }

            return (long)Math.Min(limit.Current, long.MaxValue);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The connection cap for a descriptor limit (<paramref name="configured"/> wins when given, within the limit).</summary>
    public static int Cap(long? descriptorLimit, int? configured)
    {
        var fit = descriptorLimit is { } limit ? (int)Math.Clamp(limit - Reserve, Minimum, 1_000_000) : 10_000;
        return configured is { } wanted ? Math.Clamp(wanted, 1, fit) : fit;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
