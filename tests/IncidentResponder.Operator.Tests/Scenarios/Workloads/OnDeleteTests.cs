using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>
/// A StatefulSet that updates OnDelete replaces no pod by itself: a person chose to decide which pods get a new
/// template and when. Its failing pods are detected and recorded, but nothing is changed on its behalf.
/// </summary>
public sealed class OnDeleteTests
{
    [Fact]
    public async Task A_failing_ondelete_statefulset_is_recorded_and_refused_with_the_reason_but_never_patched()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateWorkloadAsync("db", WorkloadManifests.StatefulSet("db", new StatefulSetShape { Replicas = 2, OnDelete = true }), readyPods: 2);
        cluster.StartOperator();

        // The new template reaches a pod only when a person deletes one.
        await cluster.BadWorkloadRolloutAsync("statefulset", "db", "crashloop");
        (await cluster.Kubectl.RunAsync("delete", "pod", "db-1", "--wait=false")).ShouldSucceed();

        var incident = await Eventually.ValueAsync(
            async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == "db"
                && i.Status?.Timeline?.Any(e => e.Message.Contains("[on-delete]", StringComparison.Ordinal)) == true),
            "an incident for db whose timeline records the OnDelete refusal");

        Assert.Equal("StatefulSet", incident.Spec.TargetRef.Kind);
        Assert.Equal(SignalType.CrashLoop, incident.Spec.Signal.Type);
        Assert.Contains(incident.Status!.Timeline!, e => e.Message.Contains("updates its pods OnDelete", StringComparison.Ordinal)
            && e.Message.Contains("a person decides which pods to replace", StringComparison.Ordinal));
        Assert.DoesNotContain(incident.Status.Actions ?? [], a => a.Type == ActionType.RolloutUndo);
        Assert.Empty(cluster.OperatorPatches("statefulsets", "db"));
        Assert.Empty(cluster.OperatorPodDeletes());
        Assert.Contains("IncidentOpened", (await cluster.EventsAboutAsync("StatefulSet", "db")).Select(e => e.Reason));
        Assert.Contains((await cluster.EventsAboutAsync(Incident.KindName, incident.Metadata.Name)), e => e.Note?.Contains("OnDelete", StringComparison.Ordinal) == true);
    }
}
