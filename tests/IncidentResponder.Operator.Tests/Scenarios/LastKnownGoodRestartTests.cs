using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>Last-known-good survives a restart of the operator: the evidence lives on the ReplicaSet, not in memory.</summary>
public sealed class LastKnownGoodRestartTests
{
    [Fact]
    public async Task A_restarted_operator_rolls_back_to_the_revision_an_earlier_operator_saw_soak_not_to_one_that_never_served()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { LastKnownGoodSoak = "2s" });
        await cluster.CreateDeploymentAsync("web");
        var first = cluster.StartOperator(name: "first");

        // Revision 2 rolls out healthy and the first operator records when it saw it fully Available.
        (await cluster.Kubectl.RunAsync("set", "image", "deployment/web", "nginx=nginx:1.26")).ShouldSucceed();
        (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/web", "--timeout=60s")).ShouldSucceed();
        var recorded = await Eventually.ValueAsync(() => AvailableSinceAsync(cluster, revision: 2), "revision 2's ReplicaSet recording when it became Available");
        var since = DateTimeOffset.Parse(recorded, System.Globalization.CultureInfo.InvariantCulture);
        // The soak is wall-clock time: revision 2 must have served its 2 s before anything replaces it. A ReplicaSet's
        // creationTimestamp is in whole seconds, so the replacement may read up to a second earlier than it happened,
        // and the operator (rightly) does not count that second: wait for the soak plus that second.
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow - since > TimeSpan.FromSeconds(3.5), "revision 2 soaked");

        // A fresh operator: nothing of the first one's memory is left.
        await first.DisposeAsync();
        cluster.StartOperator(name: "second");

        // Revision 3 never becomes ready (inside the 30 s readiness grace, so no signal of its own); revision 4 crash-loops.
        await cluster.BadRolloutAsync("web", "unready", image: "nginx:1.27");
        await Eventually.TrueAsync(async () => await ReplicaSetOfRevisionAsync(cluster, 3) is not null, "revision 3 created");
        await cluster.BadRolloutAsync("web", "crashloop", image: "nginx:1.28");

        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);
        var action = Assert.Single(incident.Status!.Actions!);
        Assert.Equal("2", action.Details!["toRevision"]);
        Assert.Equal("nginx:1.26", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
        Assert.Null(await AvailableSinceAsync(cluster, revision: 3));
        Assert.Single(cluster.RollbackPatches("web"));
    }

    private static async Task<k8s.Models.V1ReplicaSet?> ReplicaSetOfRevisionAsync(OperatorCluster cluster, long revision)
    {
        var list = await cluster.Client.AppsV1.ListNamespacedReplicaSetAsync(OperatorCluster.Namespace, labelSelector: "app=web",
            cancellationToken: TestContext.Current.CancellationToken);
        return list.Items.FirstOrDefault(rs => rs.Metadata.Annotations?.TryGetValue("deployment.kubernetes.io/revision", out var value) == true
            && value == revision.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string?> AvailableSinceAsync(OperatorCluster cluster, long revision) =>
        await ReplicaSetOfRevisionAsync(cluster, revision) is { } replicaSet
        && replicaSet.Metadata.Annotations.TryGetValue(WellKnown.AvailableSinceAnnotation, out var text)
            ? text
            : null;
}
