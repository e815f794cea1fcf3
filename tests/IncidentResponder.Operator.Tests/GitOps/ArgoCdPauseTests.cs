using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>
/// A bad commit synced by Argo CD with self-heal: the operator pauses exactly that Application before rolling back, so
/// the rollback sticks; and the control, where the policy says to ignore the owner and the emulated Argo CD undoes the
/// rollback within seconds, which proves that the pause is what makes the difference.
/// </summary>
public sealed class ArgoCdPauseTests
{
    [Fact]
    public async Task The_rollback_sticks_because_auto_sync_is_paused_first_keeping_prune_and_self_heal()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings());
        await scenario.ApplyArgoCdApplicationAsync();
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageAsync();
        await Eventually.TrueAsync(() => scenario.Cluster.RollbackPatches("web").Count == 1 && scenario.LiveImage() == GitOpsScenario.GoodImage,
            "the operator to roll back to the good image", TimeSpan.FromSeconds(60));

        var automated = scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!;
        Assert.False((bool)automated["enabled"]!);
        Assert.True((bool)automated["prune"]!);
        Assert.True((bool)automated["selfHeal"]!);
        var incident = await scenario.IncidentAsync();
        Assert.Equal($"default/{incident.Metadata.Name}", (string?)scenario.Application()!["metadata"]!["annotations"]!["incidentresponder.dev/paused-by"]);

        // Argo CD reconciles every second here: a minute of it must leave the rollback alone.
        await StaysAsync(() => scenario.LiveImage() == GitOpsScenario.GoodImage, TimeSpan.FromSeconds(60), "the good image to stay live");

        incident = await scenario.IncidentAsync();
        var gitops = incident.Status!.GitOps!;
        Assert.Equal("ArgoCD", gitops.Owner!.Tool);
        Assert.Equal("Application", gitops.Owner.Kind);
        Assert.Equal("argocd/web", $"{gitops.Owner.Namespace}/{gitops.Owner.Name}");
        Assert.Equal(scenario.Repo.Url, gitops.Owner.SourceUrl);
        Assert.Equal("apps/web", gitops.Owner.Path);
        Assert.Equal(GitOpsPausePhase.Paused, gitops.Pause!.Phase);
        Assert.Contains("automated.enabled=false", gitops.Pause.Summary, StringComparison.Ordinal);
        Assert.Single(scenario.OperatorPatches("applications"));
        Assert.Single(scenario.Cluster.RollbackPatches("web"));
        // Write-back is off: the pause holds, and says what a person can do.
        Assert.Contains(incident.Status.Conditions!, c => c.Type == Conditions.GitOpsPaused && c.Status == "True");
        var describe = (await scenario.Cluster.Kubectl.RunAsync("describe", "incident", incident.Metadata.Name)).ShouldSucceed();
        Assert.Matches(@"Gitops:[\s\S]*Owner:[\s\S]*Kind:\s+Application[\s\S]*Tool:\s+ArgoCD", describe.Stdout);
    }

    [Fact]
    public async Task With_on_owned_Ignore_Argo_CD_reverts_the_rollback_within_seconds()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings { GitOps = "{onOwned: Ignore}" });
        await scenario.ApplyArgoCdApplicationAsync();
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageAsync();
        await Eventually.TrueAsync(() => scenario.Cluster.RollbackPatches("web").Count >= 1, "the operator to roll back", TimeSpan.FromSeconds(60));
        var rolledBackAt = DateTime.UtcNow;

        await Eventually.TrueAsync(() => scenario.LiveImage() == GitOpsScenario.BadImage, "Argo CD's self-heal to bring the bad image back", TimeSpan.FromSeconds(15));
        Assert.True(DateTime.UtcNow - rolledBackAt < TimeSpan.FromSeconds(15));
        Assert.Empty(scenario.OperatorPatches("applications"));
        var automated = scenario.Application()!["spec"]!["syncPolicy"]!["automated"]!.AsObject();
        Assert.False(automated.ContainsKey("enabled"));
        var incident = await scenario.IncidentAsync();
        Assert.Contains(incident.Status!.Timeline!, e => e.Message.Contains("acting without pausing", StringComparison.Ordinal));
    }

    private static async Task StaysAsync(Func<bool> condition, TimeSpan window, string what)
    {
        var end = DateTime.UtcNow + window;
        while (DateTime.UtcNow < end)
        {
            Assert.True(condition(), $"expected {what} to hold for {window}");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
