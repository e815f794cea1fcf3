using System.Diagnostics;
using System.Text;

namespace IncidentResponder.Simulator.GitOps;

/// <summary>A git command failed (unknown revision, missing path, not a repository): the message is git's own.</summary>
public sealed class GitException(string message) : Exception(message);

/// <summary>
/// Reads a local git repository (bare or with a work tree) through the <c>git</c> CLI, the way the repo-server and
/// source-controller read a clone: resolve a revision to a commit, list a folder of that commit, read a file of it.
/// Nothing is checked out, so the repository may be pushed to while it is read.
/// </summary>
public sealed class GitCli(string executable = "git")
{
    /// <summary>
    /// The local path of a registered remote URL (with or without a trailing <c>/</c> or <c>.git</c>), a <c>file://</c>
    /// URL or an absolute path; other URLs are unreachable from the simulated cluster.
    /// </summary>
    public static string RepositoryPath(string url, IReadOnlyDictionary<string, string>? repositories = null)
    {
        if (repositories is not null)
        {
            var bare = url.TrimEnd('/');
            foreach (var candidate in new[] { url, bare, bare.EndsWith(".git", StringComparison.Ordinal) ? bare[..^4] : bare + ".git" })
            {
                if (repositories.TryGetValue(candidate, out var local))
                {
                    return local;
                }
            }
        }

        if (url.StartsWith("file://", StringComparison.Ordinal) && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return uri.LocalPath;
        }

        if (Path.IsPathFullyQualified(url))
        {
            return url;
        }

        throw new GitException($"repository {url} is not reachable from the simulated cluster: register it in GitOpsOptions.Repositories, or use a file:// URL or an absolute path");
    }

    /// <summary>The commit SHA a branch, tag, HEAD or (abbreviated) SHA names.</summary>
    public string ResolveCommit(string repository, string revision) =>
        Run(repository, "rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}").Trim() is { Length: > 0 } sha
            ? sha
            : throw new GitException($"unable to resolve '{revision}' to a commit SHA");

    /// <summary>The names of the files (not folders) directly in <paramref name="folder"/> of a commit ("" is the root).</summary>
    public IReadOnlyList<string> ListFiles(string repository, string commit, string folder)
    {
        var output = Run(repository, "ls-tree", "--full-tree", $"{commit}:{folder}");
        var files = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <type> <object>\t<name>"
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab > 0 && line.AsSpan(0, tab).Contains(" blob ", StringComparison.Ordinal))
            {
                files.Add(line[(tab + 1)..]);
            }
        }

        return files;
    }

    /// <summary>A file of a commit, as text.</summary>
    public string ReadFile(string repository, string commit, string path) => Run(repository, "cat-file", "blob", $"{commit}:{path}");

    private string Run(string repository, params string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        // Read-only access to a repository another user owns (a mounted volume, a CI checkout) must not trip git's
        // ownership check: the simulator never runs hooks or checks out.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("safe.directory=*");
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repository);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start) ?? throw new GitException($"could not start {executable}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            var message = stderr.GetAwaiter().GetResult().Trim();
            throw new GitException(message.Length > 0 ? message : $"git {string.Join(' ', args)} exited {process.ExitCode}");
        }

        return stdout;
    }
}
