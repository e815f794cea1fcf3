using System.Diagnostics;

namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>Runs a command-line tool (kubectl, helm) to completion with a deadline, in a scratch home.</summary>
public static class Tool
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>The executable's full path: <paramref name="environmentOverride"/> if that variable is set, else the first match on PATH.</summary>
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

    /// <summary>
    /// Runs the tool and returns its standard output; throws with its standard error when it fails.
    /// <paramref name="scratchVariables"/> are pointed at a temporary folder, so caches and configuration the
    /// tool writes never land in the user's home, and are deleted afterwards.
    /// </summary>
    public static async Task<string> RunAsync(string executable, IEnumerable<string> arguments, params string[] scratchVariables)
    {
        var scratch = Directory.CreateTempSubdirectory("deploy-tests-");
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

        foreach (var variable in scratchVariables)
        {
            start.Environment[variable] = Path.Combine(scratch.FullName, variable);
        }

        var commandLine = $"{Path.GetFileName(executable)} {string.Join(' ', start.ArgumentList)}";
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{commandLine} did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{commandLine} did not finish within {Timeout}.");
            }

            return process.ExitCode == 0
                ? await stdout
                : throw new InvalidOperationException($"{commandLine} failed with exit code {process.ExitCode}: {await stderr}{await stdout}");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
