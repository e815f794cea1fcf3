using IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>
/// Argo CD's self-heal back-off (appcontroller.go selfHealRemainingBackoff with the v2.13+ defaults): the first heal
/// after a sync is immediate, then 2s, 6s, 18s, 54s, 162s and 300s from then on, counted from the previous finishedAt.
/// </summary>
public sealed class ArgoCdSelfHealBackoffTests
{
    private static readonly DateTimeOffset FinishedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 2)]
    [InlineData(2, 6)]
    [InlineData(3, 18)]
    [InlineData(4, 54)]
    [InlineData(5, 162)]
    [InlineData(6, 300)]
    [InlineData(9, 300)]
    public void The_delay_grows_by_three_from_two_seconds_up_to_five_minutes(long attempts, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ArgoCdApplicationController.SelfHealRemainingBackoff(new GitOpsOptions(), attempts, FinishedAt, FinishedAt));

    [Fact]
    public void The_delay_is_counted_from_the_previous_operations_finished_at() =>
        Assert.Equal(TimeSpan.FromSeconds(-1), ArgoCdApplicationController.SelfHealRemainingBackoff(new GitOpsOptions(), 2, FinishedAt, FinishedAt.AddSeconds(7)));

    [Fact]
    public void With_the_backoff_off_the_fixed_timeout_applies() =>
        Assert.Equal(TimeSpan.FromSeconds(5), ArgoCdApplicationController.SelfHealRemainingBackoff(
            new GitOpsOptions { SelfHealBackoff = TimeSpan.Zero, SelfHealTimeout = TimeSpan.FromSeconds(5) }, 3, FinishedAt, FinishedAt));
}
