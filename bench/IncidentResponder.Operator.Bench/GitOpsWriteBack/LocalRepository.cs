using System.Diagnostics;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>
/// A real, non-bare git repository in a temp folder on branch <c>main</c>: Argo CD reads it by file URL and the operator
/// pushes its revert commits to it, so its checked-out branch accepts pushes (updateInstead), as a server's would.
/// </summary>
internal sealed class LocalRepository : IDisposable
{
    private LocalRepository(string path) => Path = path;

    public string Path { get; }

    public string Url => new Uri(Path).AbsoluteUri;

    public static LocalRepository Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bench-gitops-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var repo = new LocalRepository(path);
        repo.Git("init", "--quiet", "--initial-branch=main");
        repo.Git("config", "user.email", "bench@example.invalid");
        repo.Git("config", "user.name", "Operator bench");
        repo.Git("config", "commit.gpgsign", "false");
        repo.Git("config", "receive.denyCurrentBranch", "updateInstead");
        return repo;
    }

    /// <summary>Writes the files and commits them; returns the commit SHA.</summary>
    public string Commit(string message, params (string File, string Content)[] files)
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        Git("add", "--all");
        Git("commit", "--quiet", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Path };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stdout : throw new InvalidOperationException($"git {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A git process still closing a file: the OS cleans the temp folder later.
        }
        catch (UnauthorizedAccessException)
        {
            // Read-only object files: left to the OS's temp cleanup.
        }
    }
}
