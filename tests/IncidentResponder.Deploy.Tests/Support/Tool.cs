namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>A command-line tool (kubectl, helm, promtool) run through the shared process runner, in a scratch home, failing loudly.</summary>
public static class Tool
{
    /// <summary>The executable's full path: <paramref name="environmentOverride"/> if that variable is set, else the first match on PATH.</summary>
    public static string? Find(string name, string? environmentOverride = null) => ProcessRunner.Find(name, environmentOverride);

    /// <summary>
    /// Runs the tool and returns its standard output; throws with its standard error when it fails.
    /// <paramref name="scratchVariables"/> are pointed at a temporary folder, so caches and configuration the
    /// tool writes never land in the user's home, and are deleted afterwards.
    /// </summary>
    public static async Task<string> RunAsync(string executable, IEnumerable<string> arguments, params string[] scratchVariables)
    {
        var scratch = Directory.CreateTempSubdirectory("deploy-tests-");
        try
        {
            var result = await ProcessRunner.RunAsync(executable, arguments,
                scratchVariables.ToDictionary(variable => variable, variable => Path.Combine(scratch.FullName, variable)));
            return result.ExitCode == 0
                ? result.Stdout
                : throw new InvalidOperationException($"{result.Command} failed with exit code {result.ExitCode}: {result.Stderr}{result.Stdout}");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
