using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>A simulated cluster with controllers and GitOps on (short polls), a namespace <c>shop</c>, and readers for the objects the tests watch.</summary>
internal static class GitOpsHarness
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<ClusterHarness> StartAsync()
    {
        var options = new SimulatorOptions
        {
            GitOps = new GitOpsOptions { ArgoCdReconciliationInterval = TimeSpan.FromSeconds(1) },
        }.AddControllers();
        var harness = await ClusterHarness.StartAsync(options);
        harness.Cluster.Store.Create(BuiltinResources.Namespaces, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "shop" } });
        return harness;
    }

    public static JsonObject? Deployment(this ClusterHarness harness, string name = "web", string ns = "shop") =>
        harness.Cluster.Store.Get(BuiltinResources.Deployments, ns, name);

    public static string? Image(this ClusterHarness harness, string name = "web", string ns = "shop") =>
        (string?)harness.Deployment(name, ns)?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"];

    public static JsonObject? Application(this ClusterHarness harness, string name, string ns = "argocd") =>
        harness.Cluster.Store.Get(GitOpsCrds.Applications, ns, name);

    public static JsonObject? Kustomization(this ClusterHarness harness, string name, string ns = "flux-system") =>
        harness.Cluster.Store.Get(GitOpsCrds.Kustomizations, ns, name);

    public static JsonObject? GitRepository(this ClusterHarness harness, string name, string ns = "flux-system") =>
        harness.Cluster.Store.Get(GitOpsCrds.GitRepositories, ns, name);

    public static JsonObject? HelmRelease(this ClusterHarness harness, string name = "web", string ns = "shop") =>
        harness.Cluster.Store.Get(GitOpsCrds.HelmReleases, ns, name);

    /// <summary>The reasons of the Events recorded about an object, oldest first.</summary>
    public static IReadOnlyList<string?> EventReasons(this ClusterHarness harness, string kind, string name, string ns) =>
        [.. harness.Cluster.Store.List(BuiltinResources.Events, ns)
            .Where(e => (string?)e["involvedObject"]?["kind"] == kind && (string?)e["involvedObject"]?["name"] == name)
            .Select(e => (string?)e["reason"])];

    /// <summary>The status of a condition of a GitOps object's status, e.g. Ready → "True".</summary>
    public static JsonObject? Condition(JsonObject? obj, string type) =>
        obj?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    /// <summary>The controllers' unexpected errors, for a failure message.</summary>
    public static string Errors(this ClusterHarness harness) =>
        harness.Cluster.GitOps is { } gitOps
            ? string.Join("\n", gitOps.ArgoCd.Errors.Concat(gitOps.Flux.Errors).Concat(gitOps.Helm.Errors).Select(e => e.ToString()))
            : string.Empty;

    /// <summary>Applies a manifest with kubectl.</summary>
    public static async Task ApplyAsync(this ClusterHarness harness, string file, string yaml) =>
        (await harness.KubectlAsync("apply", "-f", harness.WriteFile(file, yaml))).ShouldSucceed();

    /// <summary>Holds for the whole window: fails as soon as the condition stops being true.</summary>
    public static async Task StaysAsync(Func<bool> condition, TimeSpan window, string what)
    {
        var end = DateTime.UtcNow + window;
        while (DateTime.UtcNow < end)
        {
            Assert.True(condition(), $"expected {what} to hold for {window}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
