using Xunit.Abstractions;

namespace Ampstack.Console.Tests;

/// <summary>
/// The README's screenshot: the models test takes it on every run (beside the test binaries); with
/// <c>AMPSTACK_UPDATE_SCREENSHOT=1</c> it also replaces <c>docs/console.png</c> in the repository.
/// </summary>
public static class Screenshot
{
    public static void Publish(string path, ITestOutputHelper output)
    {
        output.WriteLine($"screenshot: {path}");
        if (Environment.GetEnvironmentVariable("AMPSTACK_UPDATE_SCREENSHOT") != "1")
        {
            return;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ampstack.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException("Ampstack.slnx not found above the test binaries: cannot update docs/console.png.");
        }

        var target = Path.Combine(dir.FullName, "docs", "console.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(path, target, overwrite: true);
        output.WriteLine($"screenshot: copied to {target}");
    }
}
