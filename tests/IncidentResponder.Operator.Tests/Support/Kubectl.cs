using System.Diagnostics;

namespace IncidentResponder.Operator.Tests.Support;

internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    public KubectlResult ShouldSucceed()
    {
        Assert.True(ExitCode == 0, $"kubectl {Command} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }
}

/// <summary>The real kubectl binary against the simulated cluster, with its own discovery cache.</summary>
internal sealed class Kubectl(string kubeconfig, string directory)
{
    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["KUBECACHEDIR"] = Path.Combine(directory, "cache");
        start.Environment["HOME"] = directory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in 60 s");
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr, string.Join(' ', args));
    }

    public async Task<KubectlResult> ApplyAsync(string yaml)
    {
        var path = Path.Combine(directory, $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml, TestContext.Current.CancellationToken);
        return (await RunAsync("apply", "-f", path)).ShouldSucceed();
    }
}
