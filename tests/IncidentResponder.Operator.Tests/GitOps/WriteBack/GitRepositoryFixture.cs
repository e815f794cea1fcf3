namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>
/// A real bare git repository in a temp folder (what a git server holds), seeded with files through a working clone,
/// and read back with the git CLI so tests see exactly what was pushed. Deleted on dispose.
/// </summary>
public sealed class GitRepositoryFixture : IDisposable
{
    private GitRepositoryFixture(string root, string branch)
    {
        Root = root;
        Branch = branch;
    }

    public string Root { get; }

    public string Branch { get; }

    public string BarePath => Path.Combine(Root, "origin.git");

    public string Url => new Uri(BarePath).AbsoluteUri;

    public static string? MissingGit() => ProcessRunner.OnPath("git") ? null : "git is not on PATH; write-back tests need the git CLI";

    /// <summary>A bare repository whose <paramref name="branch"/> (its default) holds one commit with <paramref name="files"/>.</summary>
    public static async Task<GitRepositoryFixture> CreateAsync(IReadOnlyDictionary<string, string> files, string branch = "main")
    {
        var fixture = new GitRepositoryFixture(Directory.CreateTempSubdirectory("writeback-repo-").FullName, branch);
        await Git(fixture.Root, "init", "--quiet", "--bare", "--initial-branch", branch, fixture.BarePath);
        await fixture.CommitAsync("Add the storefront manifests", files);
        return fixture;
    }

    /// <summary>Pushes a commit writing <paramref name="files"/> onto <paramref name="branch"/> (default: the tracked one), as a person would.</summary>
    public async Task CommitAsync(string message, IReadOnlyDictionary<string, string> files, string? branch = null)
    {
        branch ??= Branch;
        var work = Path.Combine(Root, "work-" + Guid.NewGuid().ToString("N"));
        await Git(Root, "clone", "--quiet", BarePath, work);
        if ((await Run(work, "rev-parse", "--verify", "--quiet", "origin/" + branch)).ExitCode == 0)
        {
            await Git(work, "checkout", "--quiet", branch);
        }
        else
        {
            await Git(work, "checkout", "--quiet", "--orphan", branch);
        }

        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(work, path))!);
            await File.WriteAllTextAsync(Path.Combine(work, path), text);
        }

        await Git(work, "add", "--all");
        await Git(work, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "--quiet", "-m", message);
        await Git(work, "push", "--quiet", "origin", "HEAD:refs/heads/" + branch);
        Directory.Delete(work, recursive: true);
    }

    /// <summary>git run in the bare repository: its trimmed stdout.</summary>
    public async Task<string> ReadAsync(params string[] arguments) => (await Git(BarePath, arguments)).Stdout.Trim();

    public async Task<int> CommitCountAsync(string revision) => int.Parse(await ReadAsync("rev-list", "--count", revision), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The lines the diff of a commit adds and removes ("+…" / "-…"), without the file headers.</summary>
    public async Task<string[]> ChangedLinesAsync(string commit) =>
        [.. (await ReadAsync("show", "--format=", "--unified=0", commit)).Split('\n')
            .Where(l => (l.StartsWith('+') || l.StartsWith('-')) && !l.StartsWith("+++", StringComparison.Ordinal) && !l.StartsWith("---", StringComparison.Ordinal))];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal static async Task<ProcessResult> Git(string directory, params string[] arguments) =>
        (await Run(directory, arguments)).ShouldSucceed("git " + string.Join(' ', arguments));

    private static Task<ProcessResult> Run(string directory, params string[] arguments) =>
        ProcessRunner.RunAsync("git", ["-C", directory, .. arguments]);
}
