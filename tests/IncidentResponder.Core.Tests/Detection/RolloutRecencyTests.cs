using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Detection;

public sealed class RolloutRecencyTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    [Fact]
    public void New_replica_set_is_the_one_with_the_deployments_revision()
    {
        // After a rollback to revision 1 the Deployment carries revision 4 on the re-used ReplicaSet.
        var rolledBack = ReplicaSet(1, Clock.T0.AddDays(-9)) with { Revision = 4 };
        var found = RolloutRecency.NewReplicaSet(Deployment(revision: 4), [ReplicaSet(2, Clock.T0), ReplicaSet(3, Clock.T0), rolledBack]);
        Assert.Same(rolledBack, found);
    }

    [Fact]
    public void Without_a_revision_the_highest_one_is_new() =>
        Assert.Equal(3, RolloutRecency.NewReplicaSet(Deployment() with { CurrentRevision = null }, [ReplicaSet(3, Clock.T0), ReplicaSet(2, Clock.T0)])!.Revision);

    [Theory]
    [InlineData(-599, true)]
    [InlineData(-600, true)]
    [InlineData(-601, false)]
    public void Settled_deployment_is_recent_within_the_window_of_its_revision_change(int secondsAgo, bool expected) =>
        Assert.Equal(expected, RolloutRecency.IsRecent(Deployment(), ReplicaSet(2, Clock.T0.AddDays(-1)), Clock.At(secondsAgo), Window, Clock.T0));

    [Fact]
    public void Replica_set_creation_time_is_the_fallback() =>
        Assert.True(RolloutRecency.IsRecent(Deployment(), ReplicaSet(2, Clock.At(-60)), null, Window, Clock.T0));

    [Fact]
    public void Mid_rollout_is_recent_however_old_the_replica_set() =>
        Assert.True(RolloutRecency.IsRecent(RollingOut(), ReplicaSet(3, Clock.T0.AddDays(-9)), null, Window, Clock.T0));

    [Theory]
    [MemberData(nameof(MidRolloutCases))]
    public void Mid_rollout_cases(string because, Core.Observations.DeploymentObservation deployment, bool expected) =>
        Assert.True(expected == RolloutRecency.IsMidRollout(deployment), because);

    public static TheoryData<string, Core.Observations.DeploymentObservation, bool> MidRolloutCases() => new()
    {
        { "settled", Deployment(), false },
        { "an OOMing pod of a settled revision is not a rollout", Deployment(ready: 3, available: 3, unavailable: 1), false },
        { "controller behind the spec", Deployment() with { ObservedGeneration = 4 }, true },
        { "replicas not updated", Deployment(updated: 2), true },
        { "progressing with a new ReplicaSet", Deployment(conditions: [Available, Updating]), true },
        { "deadline exceeded", Deployment(conditions: [Available, DeadlineExceeded(Clock.T0)]), true },
    };
}
