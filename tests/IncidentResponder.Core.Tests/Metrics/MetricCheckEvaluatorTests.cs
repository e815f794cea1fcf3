using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Metrics;

namespace IncidentResponder.Core.Tests.Metrics;

public sealed class MetricCheckEvaluatorTests
{
    private static readonly MetricCheck ErrorRatio = new() { Name = "error-ratio", Signal = SignalType.ErrorRate, Query = "q", Above = 0.1, For = "10s" };
    private static readonly MetricCheck Throughput = new() { Name = "throughput", Signal = SignalType.Saturation, Query = "q", Below = 5, For = "10s" };

    [Fact]
    public void A_value_above_the_threshold_holds_when_no_previous_revision_is_known()
    {
        var verdict = MetricCheckEvaluator.Evaluate(ErrorRatio, 0.3, null);
        Assert.True(verdict.Holds);
        Assert.True(verdict.Crossing);
        Assert.Equal("error-ratio: 0.3 above 0.1", verdict.Description);
    }

    [Fact]
    public void The_new_revision_is_blamed_only_when_it_is_worse_than_the_previous_one()
    {
        Assert.True(MetricCheckEvaluator.Evaluate(ErrorRatio, 0.3, 0.0).Holds);
        var same = MetricCheckEvaluator.Evaluate(ErrorRatio, 0.3, 0.3);
        Assert.False(same.Holds);
        Assert.True(same.Crossing);
        Assert.Contains("not the rollout", same.Description, StringComparison.Ordinal);
        Assert.False(MetricCheckEvaluator.Evaluate(ErrorRatio, 0.3, 0.5).Holds);
    }

    [Fact]
    public void A_below_check_holds_under_its_threshold_and_compares_downwards()
    {
        Assert.True(MetricCheckEvaluator.Evaluate(Throughput, 2, null).Holds);
        Assert.False(MetricCheckEvaluator.Evaluate(Throughput, 6, null).Holds);
        Assert.True(MetricCheckEvaluator.Evaluate(Throughput, 2, 8).Holds);
        Assert.False(MetricCheckEvaluator.Evaluate(Throughput, 2, 1).Holds);
        Assert.False(MetricCheckEvaluator.WorstIsHighest(Throughput));
    }

    [Fact]
    public void No_data_neither_holds_nor_counts_as_clear()
    {
        var verdict = MetricCheckEvaluator.Evaluate(ErrorRatio, null, 0.0);
        Assert.False(verdict.Holds);
        Assert.Null(verdict.Value);
    }

    [Fact]
    public void A_value_at_the_threshold_does_not_cross_it()
    {
        Assert.False(MetricCheckEvaluator.Evaluate(ErrorRatio, 0.1, null).Crossing);
    }
}
