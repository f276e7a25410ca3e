namespace Ampstack.Domain.Jobs;

/// <summary>The job statuses the service reports. Persisted as these strings; never rename.</summary>
public static class JobStatus
{
    public const string Running = "RUNNING";
    public const string Completed = "COMPLETED";
    public const string Failed = "FAILED";

    public static bool IsTerminal(string status) => status is Completed or Failed;

    public static bool IsKnown(string status) => status is Running or Completed or Failed;
}
