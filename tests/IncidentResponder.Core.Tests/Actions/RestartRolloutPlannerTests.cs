using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class RestartRolloutPlannerTests
{
    [Fact]
    public void Sets_kubectls_restarted_at_annotation_to_the_decisions_time()
    {
        var change = Assert.IsType<ActionChange.RestartRollout>(Assert.IsType<ActionPlan.Apply>(RestartRolloutPlanner.Plan(Deployment(), Clock.At(5.7))).Change);
        Assert.Equal(("web", "2026-01-01T12:00:05Z"), (change.Deployment, change.RestartedAt));
        Assert.Equal("kubectl.kubernetes.io/restartedAt", ActionChange.RestartRollout.Annotation);
    }

    [Fact]
    public void Times_are_written_in_utc_whatever_the_offset() =>
        Assert.Equal("2026-01-01T12:00:00Z", RestartRolloutPlanner.Rfc3339(new DateTimeOffset(2026, 1, 1, 14, 0, 0, TimeSpan.FromHours(2))));
}
