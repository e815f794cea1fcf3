namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// The upstream Argo CD and Flux CRDs and examples, read in place from <c>../shared/reference/fixtures/gitops</c> next
/// to the repository (found from <c>Operator.sln</c>). When the folder is absent the calling test is skipped with the
/// path it looked at; the product never reads it (the CRDs it serves are vendored in the Simulator).
/// </summary>
internal static class GitOpsFixtures
{
    private static readonly Lazy<(string? Root, string Reason)> Located = new(Locate);

    /// <summary>The repository root (the folder holding Operator.sln).</summary>
    public static string RepositoryRoot => Located.Value.Root ?? throw new InvalidOperationException(Located.Value.Reason);

    /// <summary>The path of one fixture, or a skip with the reason.</summary>
    public static string Path(string file)
    {
        if (Located.Value.Root is null)
        {
            Assert.Skip(Located.Value.Reason);
        }

        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(Located.Value.Root, "..", "shared", "reference", "fixtures", "gitops", file));
        if (!File.Exists(path))
        {
            Assert.Skip($"GitOps fixture not found: {path}");
        }

        return path;
    }

    private static (string? Root, string Reason) Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Operator.sln")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? (null, $"GitOps fixtures skipped: no Operator.sln above {AppContext.BaseDirectory} to locate ../shared/reference/fixtures/gitops from")
            : (directory.FullName, string.Empty);
    }
}
