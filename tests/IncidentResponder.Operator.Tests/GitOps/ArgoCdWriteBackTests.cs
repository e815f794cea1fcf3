using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Tests.GitOps;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>
/// The whole GitOps story under Argo CD with self-heal: pause, roll back, write the revert to git (Direct: on the
/// tracked branch; Branch: on the operator's branch, merged by a person), let Argo CD sync it, resume auto-sync exactly
/// as it was, and resolve.
/// </summary>
public sealed class ArgoCdWriteBackTests
{
    private const string Credentials = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: git-credentials
        stringData:
          username: incident-responder
        """;

    [Fact]
    public async Task Direct_mode_commits_a_one_line_revert_argo_cd_syncs_it_and_auto_sync_comes_back_as_it_was()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = "{writeBack: {mode: Direct, credentialsSecretRef: {name: git-credentials}}}" });
        await scenario.Cluster.Kubectl.ApplyAsync(Credentials);
        await scenario.ApplyArgoCdApplicationAsync();
        var automatedBefore = scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.ToJsonString();
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageAsync();
        var badCommit = scenario.Repo.Git("rev-parse", "HEAD").Trim();
        var incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Resumed && i.Status.Phase == IncidentPhase.Resolved),
            "the incident resolved with the owner resumed", TimeSpan.FromSeconds(120));

        // One commit on main after the bad one, naming the incident, changing only the image line back.
        var log = scenario.Repo.Git("log", "--format=%H", $"{badCommit}..main").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var revert = Assert.Single(log);
        Assert.Equal(revert, incident.Status!.GitOps!.WriteBack!.Commit);
        Assert.Contains($"Incident-Responder-Incident: default/{incident.Metadata.Name}", scenario.Repo.Git("show", "-s", "--format=%B", revert), StringComparison.Ordinal);
        var diff = scenario.Repo.Git("diff", "--unified=0", badCommit, revert);
        Assert.Equal(["-          image: nginx:1.26-broken", "+          image: nginx:1.27"],
            diff.Split('\n').Where(l => l.StartsWith('-') || l.StartsWith('+')).Where(l => !l.StartsWith("---", StringComparison.Ordinal) && !l.StartsWith("+++", StringComparison.Ordinal)));
        Assert.Equal(GitOpsManifests.Deployment(GitOpsScenario.GoodImage, ns: OperatorCluster.Namespace), scenario.Repo.Git("show", $"{revert}:{GitOpsScenario.DeploymentPath}"));

        // Argo CD synced the revert, and its automated sync is back exactly as it was, prune and selfHeal included.
        await Eventually.TrueAsync(() => (string?)scenario.Application()?["status"]?["sync"]?["revision"] == revert, "Argo CD at the revert commit", TimeSpan.FromSeconds(30));
        Assert.Equal(automatedBefore, scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.ToJsonString());
        Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
        Assert.Single(scenario.Cluster.RollbackPatches("web"));
        Assert.Equal((GitOpsWriteBackPhase.Pushed, GitWriteBackMode.Direct, "main"), (incident.Status.GitOps.WriteBack.Phase, incident.Status.GitOps.WriteBack.Mode, incident.Status.GitOps.WriteBack.Branch));
        Assert.Contains("holds the fix", incident.Status.GitOps.Pause!.Message, StringComparison.Ordinal);
        var reasons = (await scenario.Cluster.EventsAboutAsync("Incident", incident.Metadata.Name)).Select(e => e.Reason).ToList();
        Assert.Contains("GitOpsPaused", reasons);
        Assert.Contains("WrittenBack", reasons);
        Assert.Contains("GitOpsResumed", reasons);
    }

    [Fact]
    public async Task Branch_mode_pushes_the_operators_branch_and_stays_paused_until_a_person_merges_it()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = "{writeBack: {mode: Branch, credentialsSecretRef: {name: git-credentials}}}" });
        await scenario.Cluster.Kubectl.ApplyAsync(Credentials);
        await scenario.ApplyArgoCdApplicationAsync();
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageAsync();
        var badCommit = scenario.Repo.Git("rev-parse", "main").Trim();
        var incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.WriteBack?.Phase == GitOpsWriteBackPhase.Pushed),
            "the fix pushed to the operator's branch", TimeSpan.FromSeconds(120));
        var branch = $"incident-responder/{incident.Metadata.Name}";
        Assert.Equal(branch, incident.Status!.GitOps!.WriteBack!.Branch);
        Assert.Equal(badCommit, scenario.Repo.Git("rev-parse", "main").Trim());
        Assert.Equal(incident.Status.GitOps.WriteBack.Commit, scenario.Repo.Git("rev-parse", branch).Trim());

        // Not merged: the owner stays paused and the record says what a person can do.
        incident = await Eventually.ValueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.GitOps?.Pause?.Message?.Contains($"merge branch {branch}", StringComparison.Ordinal) == true),
            "the pause to say which branch to merge");
        Assert.Equal(GitOpsPausePhase.Paused, incident.Status!.GitOps!.Pause!.Phase);
        Assert.False((bool)scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!["enabled"]!);

        scenario.Repo.Git("merge", "--quiet", "--ff-only", branch);
        await Eventually.TrueAsync(
            async () => (await scenario.Cluster.IncidentsAsync()).Any(i => i.Status?.GitOps?.Pause?.Phase == GitOpsPausePhase.Resumed),
            "the owner resumed once main holds the fix", TimeSpan.FromSeconds(60));
        Assert.False(scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.AsObject().ContainsKey("enabled"));
        await Eventually.TrueAsync(() => (string?)scenario.Application()?["status"]?["sync"]?["status"] == "Synced", "Argo CD in sync with the merged fix", TimeSpan.FromSeconds(30));
        Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
    }
}
