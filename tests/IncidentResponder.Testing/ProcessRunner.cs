using System.Diagnostics;
using System.Text;

namespace IncidentResponder.Testing;

/// <summary>What a finished process left: its exit code, its output, and the command line that ran.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Command)
{
    /// <summary>Fails the test, showing both streams, unless the process exited 0.</summary>
    public ProcessResult ShouldSucceed(string? what = null)
    {
        Assert.True(ExitCode == 0, $"{what ?? Command} exited {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        return this;
    }

    public override string ToString() => new StringBuilder().Append("exit ").Append(ExitCode).Append('\n').Append(Stdout).Append(Stderr).ToString();
}

/// <summary>Runs command-line tools (kubectl, helm, docker, k3d, promtool) to completion with a deadline.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The executable's full path: <paramref name="environmentOverride"/> if that variable is set, else the first match on PATH, else null.</summary>
    public static string? Find(string name, string? environmentOverride = null)
    {
        if (environmentOverride is not null && Environment.GetEnvironmentVariable(environmentOverride) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }

    public static bool OnPath(string name) => Find(name) is not null;

    /// <summary>
    /// Runs <paramref name="executable"/> and returns how it ended. A process still running at the deadline is killed
    /// (with its children) and the wait ends in a <see cref="TimeoutException"/> naming the command.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var command = $"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList)}";
        var limit = timeout ?? DefaultTimeout;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not finish within {limit}.");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr, command);
    }
}
