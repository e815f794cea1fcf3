using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios.Workloads;

/// <summary>OOM kills on a StatefulSet's stable revision: its memory is raised within the cap; a scale that would give new replicas new volumes is refused.</summary>
public sealed class StatefulSetExhaustionTests
{
    [Fact]
    public async Task An_oom_killed_statefulset_on_a_stable_revision_gets_its_memory_raised_within_the_cap()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.RunbookAndPolicy());
        await cluster.CreateWorkloadAsync("statefulset", "db", WorkloadManifests.StatefulSet("db", new StatefulSetShape { Replicas = 2, MemoryLimit = "128Mi" }));
        await cluster.StatefulSetSettledAsync("db");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("db");
        var incident = await Eventually.ValueAsync(
            async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == "db"
                && i.Status?.Actions?.Any(a => a.Type == ActionType.RaiseMemoryLimit && a.Phase is ActionPhase.Running or ActionPhase.Succeeded) == true),
            "a memory raise applied to db");

        Assert.Equal("StatefulSet", incident.Spec.TargetRef.Kind);
        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        var raise = Assert.Single(incident.Status!.Actions!, a => a.Type == ActionType.RaiseMemoryLimit);
        Assert.Equal(ExhaustionManifests.RaiseStep, raise.Step);
        var set = await cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        // 128Mi × 1.5, within the policy's caps (maxMemoryFactor 2, maxMemory 1Gi).
        Assert.Equal("192Mi", set.Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString());
        Assert.Equal($"{incident.Metadata.Name}/{ExhaustionManifests.RaiseStep}", set.Metadata.Annotations[WellKnown.ActionAnnotation]);
        Assert.Single(cluster.OperatorPatches("statefulsets", "db"));
    }

    [Fact]
    public async Task Scaling_a_statefulset_with_volume_claim_templates_is_refused_with_the_reason()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy());
        await cluster.CreateWorkloadAsync("statefulset", "db", WorkloadManifests.StatefulSet("db", new StatefulSetShape { Replicas = 2, MemoryLimit = "128Mi", VolumeClaims = true }));
        await cluster.StatefulSetSettledAsync("db");
        cluster.StartOperator();

        await cluster.OomRunningPodsAsync("db");
        var incident = await Eventually.ValueAsync(
            async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == "db"
                && i.Status?.Timeline?.Any(e => e.Message.Contains("[stateful-scale-with-volumes]", StringComparison.Ordinal)) == true),
            "an incident for db whose timeline records the refused scale");

        Assert.Contains(incident.Status!.Timeline!, e => e.Message.Contains("has volumeClaimTemplates", StringComparison.Ordinal)
            && e.Message.Contains("allowStatefulScaleWithVolumes", StringComparison.Ordinal));
        Assert.DoesNotContain(incident.Status.Actions ?? [], a => a.Type == ActionType.Scale && a.Phase is ActionPhase.Running or ActionPhase.Succeeded);
        Assert.Empty(cluster.OperatorPatches("statefulsets", "db", "scale"));
        var set = await cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(2, set.Spec.Replicas);
    }
}
