using IncidentResponder.Runtime.Informers;

namespace IncidentResponder.Runtime.Tests.Informers;

public sealed class PodSummaryTests
{
    [Fact]
    public void Projection_keeps_identity_labels_owner_phase_and_container_states()
    {
        var pool = new StringPool();
        var summary = PodSummary.From(FakePodSource.Pod("a", "7", owner: "rs1", phase: "Running"), pool);

        Assert.Equal(("ns", "a", "uid-a", "7"), (summary.Namespace, summary.Name, summary.Uid, summary.ResourceVersion));
        Assert.Equal("web", summary.Label("app"));
        var owner = Assert.Single(summary.OwnerReferences);
        Assert.Equal(new OwnerRef("apps/v1", "ReplicaSet", "rs1", "uid-rs1", true), owner);
        Assert.Equal("apps", owner.Group);
        Assert.Equal("Running", summary.Phase);
        var container = Assert.Single(summary.Containers);
        Assert.Equal(new ContainerSummary("app", false, 4, "CrashLoopBackOff", null, 137, "OOMKilled"), container);
    }

    [Fact]
    public void Equal_strings_of_different_pods_are_shared()
    {
        var pool = new StringPool();
        var a = PodSummary.From(FakePodSource.Pod("a", "1"), pool);
        var b = PodSummary.From(FakePodSource.Pod("b", "1"), pool);

        Assert.Same(a.Labels[0].Value, b.Labels[0].Value);
        Assert.Same(a.Phase, b.Phase);
        Assert.Same(a.Containers[0].WaitingReason, b.Containers[0].WaitingReason);
    }
}
