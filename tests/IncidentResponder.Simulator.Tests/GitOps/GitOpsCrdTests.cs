using System.Text.Json.Nodes;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Tests.Support;

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
    public void TheVendoredCrdIsTheUpstreamFileUnchanged(string file)
    {
        var upstream = GitOpsFixtures.Path(file);
        var vendored = System.IO.Path.Combine(GitOpsFixtures.RepositoryRoot, "src", "IncidentResponder.Simulator", "GitOps", "Crds", file);
        Assert.Equal(File.ReadAllBytes(upstream), File.ReadAllBytes(vendored));
    }

    [Fact]
    public async Task UpstreamExamplesAreAcceptedAndAnUnreachableRemoteIsReportedNotApplied()
    {
        await using var harness = await GitOpsHarness.StartAsync();
        Assert.Equal(4, GitOpsCrds.Definitions().Count);
        (await harness.KubectlAsync("create", "namespace", "podinfo")).ShouldSucceed();
        foreach (var example in new[] { "argocd-application-selfheal.example.yaml", "flux-gitrepository-kustomization.example.yaml", "flux-helmrelease-podinfo.example.yaml" })
        {
            (await harness.KubectlAsync("apply", "-f", GitOpsFixtures.Path(example))).ShouldSucceed();
        }

        await Poll.UntilAsync(
            () => (string?)harness.Application("argocd")?["status"]?["conditions"]?[0]?["type"] == "ComparisonError",
            GitOpsHarness.Deadline,
            "Argo CD to report the unreachable repository");
        Assert.Equal("Unknown", (string?)harness.Application("argocd")!["status"]!["sync"]!["status"]);

        await Poll.UntilAsync(
            () => Ready(harness.GitRepository("podinfo", "default")) is { } ready && (string?)ready["reason"] == "GitOperationFailed",
            GitOpsHarness.Deadline,
            "source-controller to report the unreachable repository");
        await Poll.UntilAsync(
            () => Ready(harness.Kustomization("podinfo", "default")) is { } ready && (string?)ready["reason"] == "ArtifactFailed",
            GitOpsHarness.Deadline,
            "kustomize-controller to wait for an artifact");
    }

    private static JsonObject? Ready(JsonObject? obj) =>
        (obj?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == "Ready");
}
