using IncidentResponder.Core.Metrics;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Metrics;

public sealed class MetricHoldTests
{
    private static readonly TimeSpan For = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_check_raises_its_signal_only_after_holding_for_its_whole_for()
    {
        var since = MetricHold.Advance(null, holds: true, Clock.At(0));
        since = MetricHold.Advance(since, holds: true, Clock.At(5));
        Assert.Equal(Clock.At(0), since);
        Assert.False(MetricHold.Confirmed(since, For, Clock.At(9.9)));
        Assert.True(MetricHold.Confirmed(since, For, Clock.At(10)));
    }

    [Fact]
    public void One_answer_that_does_not_hold_starts_the_clock_again()
    {
        var since = MetricHold.Advance(null, holds: true, Clock.At(0));
        since = MetricHold.Advance(since, holds: false, Clock.At(8));
        Assert.Null(since);
        since = MetricHold.Advance(since, holds: true, Clock.At(9));
        Assert.False(MetricHold.Confirmed(since, For, Clock.At(15)));
        Assert.True(MetricHold.Confirmed(since, For, Clock.At(19)));
    }

    [Fact]
    public void Look_again_on_the_interval_or_when_a_hold_completes_if_that_is_sooner()
    {
        Assert.Equal(Clock.At(30), MetricsLookAgain.After(Clock.At(0), TimeSpan.FromSeconds(30), []));
        Assert.Equal(Clock.At(7), MetricsLookAgain.After(Clock.At(0), TimeSpan.FromSeconds(30), [(Clock.At(-3), For), (Clock.At(-1), For)]));
        // A hold already complete (its incident opened) does not make the poll spin.
        Assert.Equal(Clock.At(30), MetricsLookAgain.After(Clock.At(0), TimeSpan.FromSeconds(30), [(Clock.At(-20), For)]));
    }
}
