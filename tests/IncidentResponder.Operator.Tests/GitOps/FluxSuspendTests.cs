using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.GitOps;

/// <summary>A bad commit applied by a Flux Kustomization every second: the operator suspends it, as flux suspend does, before rolling back.</summary>
public sealed class FluxSuspendTests
{
    [Fact]
    public async Task The_kustomization_is_suspended_before_the_rollback_which_then_outlasts_many_intervals()
    {
        await using var scenario = await GitOpsScenario.StartAsync(new PolicySettings());
        await scenario.ApplyFluxKustomizationAsync();
        await using var running = scenario.Cluster.StartOperator();

        await scenario.CommitBadImageForFluxAsync();
        await Eventually.TrueAsync(() => scenario.Cluster.RollbackPatches("web").Count == 1 && scenario.LiveImage() == GitOpsScenario.GoodImage,
            "the operator to roll back to the good image", TimeSpan.FromSeconds(60));
        Assert.True((bool)scenario.Kustomization()!["spec"]!["suspend"]!);

        // The Kustomization would re-apply git every second if it were not suspended.
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < end)
        {
            Assert.Equal(GitOpsScenario.GoodImage, scenario.LiveImage());
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        var incident = await scenario.IncidentAsync();
        var owner = incident.Status!.GitOps!.Owner!;
        Assert.Equal(("Flux", "Kustomization", "flux-system", "web"), (owner.Tool, owner.Kind, owner.Namespace, owner.Name));
        Assert.Equal("https://git.example.com/shop/deploy.git", owner.SourceUrl);
        Assert.Equal("./apps/web", owner.Path);
        Assert.Equal("main", owner.TargetRevision);
        Assert.StartsWith("main@sha1:", owner.Revision, StringComparison.Ordinal);
        Assert.Equal(GitOpsPausePhase.Paused, incident.Status.GitOps!.Pause!.Phase);
        Assert.Single(scenario.OperatorPatches("kustomizations"));
    }
}
