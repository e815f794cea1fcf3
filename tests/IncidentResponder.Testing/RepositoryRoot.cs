namespace IncidentResponder.Testing;

/// <summary>
/// The repository checkout the tests run in (the nearest folder above the test binaries holding Operator.sln), and the
/// shared reference data beside it: <c>&lt;repository&gt;/../shared</c>, found relative to the checkout, never at a
/// machine's absolute path.
/// </summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>
    /// An absolute path from repository-relative parts, each of which may be written with forward slashes:
    /// <c>Combine("config/crd/bases")</c> or <c>Combine("config", "samples")</c>.
    /// </summary>
    public static string Combine(params string[] parts) =>
        System.IO.Path.Combine([Path, .. parts.SelectMany(part => part.Split('/', StringSplitOptions.RemoveEmptyEntries))]);

    public static string ReadText(string relativePath) => File.ReadAllText(Combine(relativePath));

    /// <summary>The shared folder beside the repository, <c>&lt;repository&gt;/../shared</c>.</summary>
    public static string SharedPath => System.IO.Path.GetFullPath(System.IO.Path.Combine(Path, "..", "shared"));

    /// <summary>
    /// A folder under <see cref="SharedPath"/>, e.g. <c>Shared("reference/fixtures/alertmanager")</c>, or null when it
    /// is absent (for test data enumerated before any test runs; the test then calls <see cref="RequireShared"/>).
    /// </summary>
    public static string? Shared(string relativePath)
    {
        var folder = SharedFolder(relativePath);
        return Directory.Exists(folder) ? folder : null;
    }

    /// <summary>A folder under <see cref="SharedPath"/>; when it is absent the calling test is skipped, naming the path it looked at.</summary>
    public static string RequireShared(string relativePath)
    {
        var folder = SharedFolder(relativePath);
        if (!Directory.Exists(folder))
        {
            Assert.Skip($"shared reference data not found: {folder} does not exist (it is looked for beside the repository, at ../shared)");
        }

        return folder;
    }

    private static string SharedFolder(string relativePath) =>
        System.IO.Path.Combine([SharedPath, .. relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries)]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Operator.sln in {AppContext.BaseDirectory} or any folder above it.");
    }
}
