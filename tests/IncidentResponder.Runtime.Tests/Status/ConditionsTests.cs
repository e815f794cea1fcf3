using IncidentResponder.Runtime.Status;
using k8s.Models;

namespace IncidentResponder.Runtime.Tests.Status;

public sealed class ConditionsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void A_new_condition_gets_the_transition_time_truncated_to_seconds()
    {
        var list = new List<V1Condition>();

        Assert.True(Conditions.Set(list, "Ready", Conditions.False, "Waiting", "not yet", 3, T0));

        var condition = Assert.Single(list);
        Assert.Equal(new DateTime(2026, 1, 1, 10, 0, 0, DateTimeKind.Utc), condition.LastTransitionTime);
        Assert.Equal(3, condition.ObservedGeneration);
    }

    [Fact]
    public void Transition_time_moves_only_when_the_status_flips()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.False, "Waiting", "a", 1, T0);

        Assert.True(Conditions.Set(list, "Ready", Conditions.False, "StillWaiting", "b", 2, T0.AddMinutes(5)));
        Assert.Equal(T0.UtcDateTime.AddMilliseconds(-500), list[0].LastTransitionTime);
        Assert.Equal(("StillWaiting", "b", 2L), (list[0].Reason, list[0].Message, list[0].ObservedGeneration!.Value));

        Assert.True(Conditions.Set(list, "Ready", Conditions.True, "Done", "ok", 2, T0.AddMinutes(9)));
        Assert.Equal(T0.UtcDateTime.AddMilliseconds(-500).AddMinutes(9), list[0].LastTransitionTime);
        Assert.True(Conditions.IsTrue(list, "Ready"));
    }

    [Fact]
    public void Setting_the_same_values_again_reports_no_change()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", Conditions.True, "Done", "ok", 1, T0);

        Assert.False(Conditions.Set(list, "Ready", Conditions.True, "Done", "ok", 1, T0.AddHours(1)));
    }

    [Fact]
    public void Invalid_status_is_rejected_and_remove_works()
    {
        var list = new List<V1Condition>();
        Assert.Throws<ArgumentOutOfRangeException>(() => Conditions.Set(list, "Ready", "yes", "R", "m", null, T0));

        Conditions.Set(list, "Ready", Conditions.True, "Done", "ok", 1, T0);
        Assert.True(Conditions.Remove(list, "Ready"));
        Assert.False(Conditions.Remove(list, "Ready"));
    }
}
