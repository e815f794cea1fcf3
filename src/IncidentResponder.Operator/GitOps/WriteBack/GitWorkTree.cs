using IncidentResponder.Core.GitOps;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>
/// One throw-away clone of the repository, and the few git operations write-back makes in it. Shallow (the last
/// <c>depth</c> commits): enough to find this incident's commit after a restart, without fetching years of history.
/// </summary>
internal sealed class GitWorkTree
{
    private readonly GitRunner git;
    private readonly int depth;

    private GitWorkTree(GitRunner git, string directory, int depth)
    {
        this.git = git;
        Directory = directory;
        this.depth = depth;
    }

    public string Directory { get; }

    /// <summary>The branch a remote's HEAD points at (the default branch), from <c>git ls-remote --symref</c>.</summary>
    public static async Task<(string? Branch, GitOutput Output)> DefaultBranchAsync(GitRunner git, string url, CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(null, ["ls-remote", "--symref", "--", url, "HEAD"], cancellationToken);
        var branch = output.Stdout.Split('\n')
            .Where(line => line.StartsWith("ref: refs/heads/", StringComparison.Ordinal) && line.EndsWith("\tHEAD", StringComparison.Ordinal))
            .Select(line => line["ref: refs/heads/".Length..^"\tHEAD".Length])
            .FirstOrDefault();
        return (output.Succeeded ? branch : null, output);
    }

    /// <summary>The commit a remote branch points at, or null when the branch does not exist.</summary>
    public static async Task<(string? Sha, GitOutput Output)> RemoteBranchAsync(GitRunner git, string url, string branch, CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(null, ["ls-remote", "--", url, "refs/heads/" + branch], cancellationToken);
        var sha = output.Stdout.Split('\t', 2)[0].Trim();
        return (output.Succeeded && sha.Length > 0 ? sha : null, output);
    }

    public static async Task<(GitWorkTree? Tree, GitOutput Output)> CloneAsync(GitRunner git, string root, string url, string branch, int depth, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(root, "clone");
        var output = await git.RunAsync(root,
            ["clone", "--quiet", "--depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture), "--single-branch", "--no-tags",
             "--branch", branch, "--", url, directory], cancellationToken);
        return (output.Succeeded ? new GitWorkTree(git, directory, depth) : null, output);
    }

    /// <summary>An empty repository with <paramref name="revision"/> of the remote fetched and checked out.</summary>
    public static async Task<(GitWorkTree? Tree, GitOutput Output)> FetchRevisionAsync(GitRunner git, string root, string url, string revision, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(root, "revision");
        var output = await git.RunAsync(root, ["init", "--quiet", directory], cancellationToken);
        if (output.Succeeded)
        {
            output = await git.RunAsync(directory, ["fetch", "--quiet", "--depth", "1", "--", url, revision], cancellationToken);
        }

        if (output.Succeeded)
        {
            output = await git.RunAsync(directory, ["checkout", "--quiet", "--detach", "FETCH_HEAD"], cancellationToken);
        }

        return (output.Succeeded ? new GitWorkTree(git, directory, 1) : null, output);
    }

    /// <summary>
    /// The newest commit reachable from <paramref name="revision"/> whose trailer names this incident exactly (the
    /// grep only narrows the search; the trailer is compared whole, so <c>ns/web</c> does not match <c>ns/web-2</c>).
    /// </summary>
    public async Task<string?> FindIncidentCommitAsync(string revision, string trailerValue, CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(Directory,
            ["log", "--fixed-strings", "--grep", $"{WriteBackCommitMessage.TrailerKey}: {trailerValue}",
             $"--format=%H%x1f%(trailers:key={WriteBackCommitMessage.TrailerKey},valueonly,separator=%x1f)%x1e", revision, "--"], cancellationToken);
        return output.Stdout.Split('\x1e', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(record => record.Split('\x1f', StringSplitOptions.TrimEntries))
            .Where(fields => fields.Skip(1).Contains(trailerValue, StringComparer.Ordinal))
            .Select(fields => fields[0])
            .FirstOrDefault();
    }

    /// <summary>The text of the YAML files under <paramref name="path"/>, keyed by their path relative to it.</summary>
    public Dictionary<string, string>? ReadFiles(string path)
    {
        if (Under(path) is not { } folder || !System.IO.Directory.Exists(folder))
        {
            return null;
        }

        return System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(folder, file).Replace('\\', '/'))
            .Where(relative => !relative.StartsWith(".git/", StringComparison.Ordinal) && !relative.Contains("/.git/", StringComparison.Ordinal))
            .Where(relative => YamlNodesFilter(relative))
            .ToDictionary(relative => relative, relative => File.ReadAllText(Path.Combine(folder, relative)), StringComparer.Ordinal);
    }

    public void WriteFiles(string path, IReadOnlyDictionary<string, string> files)
    {
        var folder = Under(path) ?? throw new InvalidOperationException($"path {path} leaves the repository");
        foreach (var (relative, text) in files)
        {
            File.WriteAllText(Path.Combine(folder, relative), text);
        }
    }

    public Task<GitOutput> RunAsync(CancellationToken cancellationToken, params string[] arguments) => git.RunAsync(Directory, arguments, cancellationToken);

    public async Task<GitOutput> CommitAsync(string message, string authorName, string authorEmail, CancellationToken cancellationToken)
    {
        var added = await RunAsync(cancellationToken, "add", "--all", "--", ".");
        return !added.Succeeded
            ? added
            : await git.RunAsync(Directory, ["-c", "user.name=" + authorName, "-c", "user.email=" + authorEmail, "commit", "--quiet", "--file", "-"],
                cancellationToken, stdin: message);
    }

    public async Task<string> HeadAsync(CancellationToken cancellationToken) => (await RunAsync(cancellationToken, "rev-parse", "HEAD")).Stdout.Trim();

    /// <summary>Moves the clone to the remote branch's new tip, dropping the local commit that lost the race.</summary>
    public async Task<GitOutput> ResetToRemoteAsync(string branch, CancellationToken cancellationToken)
    {
        var fetched = await RunAsync(cancellationToken, "fetch", "--quiet", "--depth", depth.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "origin", $"+refs/heads/{branch}:refs/remotes/origin/{branch}");
        return fetched.Succeeded ? await RunAsync(cancellationToken, "reset", "--quiet", "--hard", $"origin/{branch}") : fetched;
    }

    // The owner's path, resolved inside the clone; null when it climbs out of it ("../..").
    private string? Under(string path)
    {
        var root = Path.GetFullPath(Directory);
        var folder = Path.GetFullPath(Path.Combine(root, string.IsNullOrEmpty(path) ? "." : path.TrimStart('/')));
        return folder == root || folder.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? folder : null;
    }

    private static bool YamlNodesFilter(string relative) =>
        relative.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || relative.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
        || Path.GetFileName(relative) == "Kustomization";
}
