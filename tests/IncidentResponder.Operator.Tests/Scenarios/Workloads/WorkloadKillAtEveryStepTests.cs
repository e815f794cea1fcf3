using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;
using Boundary = IncidentResponder.Operator.Tests.Scenarios.KillAtEveryStepTests.Boundary;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// "Never act twice" for the rollbacks made from ControllerRevisions: the operator is stopped dead at each step
/// boundary of a StatefulSet's or a DaemonSet's rollback, a fresh instance takes over, and the story still ends with
/// exactly one rollback patch of the workload and a complete record.
/// </summary>
public sealed class WorkloadKillAtEveryStepTests
{
    public static TheoryData<string, Boundary> Cases()
    {
        var cases = new TheoryData<string, Boundary>();
        foreach (var kind in new[] { "statefulset", "daemonset" })
        {
            foreach (var boundary in Enum.GetValues<Boundary>())
            {
                cases.Add(kind, boundary);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_operator_killed_at_the_boundary_of_a_controller_revision_rollback_is_replaced_and_rolls_back_exactly_once(string kind, Boundary boundary)
    {
        var name = kind == "statefulset" ? "db" : "agent";
        var plural = kind + "s";
        await using var cluster = await OperatorCluster.StartAsync(nodes: kind == "daemonset" ? WorkloadManifests.ThreeNodes : null);
        // A StatefulSet's crash-looping pod under OrderedReady is only replaced when the runbook asks for it.
        await cluster.ApplyRunbookAndPolicyAsync(runbook: new RunbookSettings { ForceRecreateStuckPods = kind == "statefulset" });
        await cluster.CreateWorkloadAsync(kind, name, kind == "statefulset"
            ? WorkloadManifests.StatefulSet(name, new StatefulSetShape { ReadinessProbe = true })
            : WorkloadManifests.DaemonSet(name));
        var crash = KillAtEveryStepTests.CrashPointFor(boundary, plural);
        cluster.Cluster.ClusterStore.AddAdmissionStep(crash);
        var first = cluster.StartOperator(name: "first");

        await cluster.BadWorkloadRolloutAsync(kind, name, kind == "statefulset" ? "crashloop" : "imagepull");
        await crash.Hit.WaitAsync(Eventually.DefaultTimeout, TestContext.Current.CancellationToken);
        await first.DisposeAsync();
        crash.Disarm();
        cluster.StartOperator(name: "second");

        var incident = await cluster.IncidentInPhaseAsync(name, IncidentPhase.Resolved);

        Assert.Single(cluster.OperatorPatches(plural, name));
        Assert.Single(await cluster.IncidentsAsync());
        var status = incident.Status!;
        var action = Assert.Single(status.Actions!);
        Assert.Equal((ActionType.RolloutUndo, ActionPhase.Succeeded), (action.Type, action.Phase));
        Assert.NotNull(status.MitigatedAt);
        Assert.NotNull(status.ResolvedAt);
        foreach (var type in new[] { TimelineEntryType.Detected, TimelineEntryType.Decision, TimelineEntryType.Action, TimelineEntryType.Verification, TimelineEntryType.Phase })
        {
            Assert.Contains(status.Timeline!, e => e.Type == type);
        }

        var image = kind == "statefulset"
            ? (await cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync(name, OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Spec.Template.Spec.Containers[0].Image
            : (await cluster.Client.AppsV1.ReadNamespacedDaemonSetAsync(name, OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Spec.Template.Spec.Containers[0].Image;
        Assert.Equal("nginx:1.25", image);
        if (boundary == Boundary.BeforeAppliedRecorded)
        {
            // The second instance must have recognised the first one's patch by its marker, not patched again.
            Assert.Contains(status.Timeline!, e => e.Message.Contains("found applied", StringComparison.Ordinal));
        }
    }
}
