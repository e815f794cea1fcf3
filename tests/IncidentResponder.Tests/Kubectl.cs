using System.Diagnostics;

namespace IncidentResponder.Tests;

/// <summary>The real kubectl against a kubeconfig, with a fresh discovery cache per call.</summary>
internal static class Kubectl
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string kubeconfig, params string[] arguments)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetTempPath(), $"kubecache-{Guid.NewGuid():N}");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
