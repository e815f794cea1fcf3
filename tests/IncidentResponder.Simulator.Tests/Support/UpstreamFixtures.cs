using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tests.Support;

/// <summary>
/// The upstream Kubernetes API round-trip test data (<c>staging/src/k8s.io/api/testdata/HEAD</c>), read in place from
/// <c>../shared/reference/fixtures/k8s-api-testdata</c> next to the repository. They are never copied into the project:
/// when the folder is absent the calling test is skipped with the path it looked at.
/// </summary>
internal static class UpstreamFixtures
{
    private static readonly Lazy<string> Folder = new(Locate);

    /// <summary>A fresh, mutable copy of one fixture, e.g. <c>core.v1.ConfigMap.json</c>.</summary>
    public static JsonObject Load(string fileName)
    {
        var path = Path.Combine(Folder.Value, fileName);
        if (!File.Exists(path))
        {
            Assert.Skip($"upstream fixture not found: {path}");
        }

        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    private static string Locate() => RepositoryRoot.RequireShared("reference/fixtures/k8s-api-testdata");
}
