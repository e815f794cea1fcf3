namespace IncidentResponder.Deploy.Tests.Support;

/// <summary>The repository checkout the tests run in: the nearest folder above the test binaries holding Operator.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>An absolute path from a repository-relative one written with forward slashes.</summary>
    public static string Combine(string relativePath) =>
        System.IO.Path.Combine([Path, .. relativePath.Split('/')]);

    public static string ReadText(string relativePath) => File.ReadAllText(Combine(relativePath));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Operator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Operator.sln in {AppContext.BaseDirectory} or any folder above it.");
    }
}
