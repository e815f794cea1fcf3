using System.Diagnostics;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>What one git command left: its exit code and both streams.</summary>
internal sealed record GitOutput(int ExitCode, string Stdout, string Stderr)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// Runs the <c>git</c> CLI with the write-back environment (credentials, no prompts). The CLI and not LibGit2Sharp:
/// LibGit2Sharp's NuGet native binaries are built without libssh2, so they cannot push over SSH, and Flux and Argo CD
/// secrets are very often SSH deploy keys. A command that runs past the token's cancellation is killed with its
/// children (ssh included).
/// </summary>
internal sealed class GitRunner(GitEnvironment environment, string executable = "git")
{
    public async Task<GitOutput> RunAsync(string? workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? stdin = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? environment.Root,
        };
        // Every write-back commit is made the same way whatever the machine's git config says.
        foreach (var argument in new[] { "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment.Variables)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new GitOutput(process.ExitCode, await stdout, await stderr);
    }
}
