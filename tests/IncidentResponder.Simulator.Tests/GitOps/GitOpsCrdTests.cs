using System.Text.Json.Nodes;
using IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// The CRDs served with GitOps on are the upstream files byte for byte, and upstream's own example objects go
/// through their validation; the emulated controllers report an unreachable remote as the tools do.
/// </summary>
public sealed class GitOpsCrdTests
{
    [Theory]
    [InlineData("argocd-application-crd.yaml")]
    [InlineData("kustomize.toolkit.fluxcd.io_kustomizations.yaml")]
    [InlineData("source.toolkit.fluxcd.io_gitrepositories.yaml")]
    [InlineData("helm.toolkit.fluxcd.io_helmreleases.yaml")]
    public void The_vendored_crd_is_the_upstream_file_unchanged(string file)
    {
        var upstream = Path.Combine(RepositoryRoot.RequireShared("reference/fixtures/gitops"), file);
        var vendored = RepositoryRoot.Combine("src/IncidentResponder.Simulator/GitOps/Crds", file);
        Assert.Equal(File.ReadAllBytes(upstream), File.ReadAllBytes(vendored));
    }

    [Fact]
    public async Task Upstream_examples_are_accepted_and_an_unreachable_remote_is_reported_not_applied()
    {
        await using var harness = await GitOpsHarness.StartAsync();
        Assert.Equal(4, GitOpsCrds.Definitions().Count);
        (await harness.KubectlAsync("create", "namespace", "podinfo")).ShouldSucceed();
        foreach (var example in new[] { "argocd-application-selfheal.example.yaml", "flux-gitrepository-kustomization.example.yaml", "flux-helmrelease-podinfo.example.yaml" })
        {
            (await harness.KubectlAsync("apply", "-f", Path.Combine(RepositoryRoot.RequireShared("reference/fixtures/gitops"), example))).ShouldSucceed();
        }

        await Eventually.TrueAsync(
            () => (string?)harness.Application("argocd")?["status"]?["conditions"]?[0]?["type"] == "ComparisonError",
            "Argo CD to report the unreachable repository",
            GitOpsHarness.Deadline);
        Assert.Equal("Unknown", (string?)harness.Application("argocd")!["status"]!["sync"]!["status"]);

        await Eventually.TrueAsync(
            () => Ready(harness.GitRepository("podinfo", "default")) is { } ready && (string?)ready["reason"] == "GitOperationFailed",
            "source-controller to report the unreachable repository",
            GitOpsHarness.Deadline);
        await Eventually.TrueAsync(
            () => Ready(harness.Kustomization("podinfo", "default")) is { } ready && (string?)ready["reason"] == "ArtifactFailed",
            "kustomize-controller to wait for an artifact",
            GitOpsHarness.Deadline);
    }

    private static JsonObject? Ready(JsonObject? obj) =>
        (obj?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
}
