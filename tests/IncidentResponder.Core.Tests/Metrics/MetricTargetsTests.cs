using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Metrics;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Metrics;

public sealed class MetricTargetsTests
{
    private static MetricsSettings Settings(string query) => new()
    {
        Prometheus = new PrometheusProvider { Url = "http://prometheus:9090" },
        Checks = [new MetricCheck { Name = "error-ratio", Signal = SignalType.ErrorRate, Query = query, Above = 0.1 }],
    };

    private static readonly DetectionInput AfterRollout = new(RollingOut(3), [ReplicaSet(2, Clock.T0.AddDays(-1)), ReplicaSet(3, Clock.T0.AddMinutes(-1))], []);

    [Fact]
    public void After_a_rollout_the_new_revision_is_asked_beside_the_previous_one()
    {
        var plan = Assert.Single(MetricTargets.Plan(Settings("e{pod=~\"{{deployment}}-{{podTemplateHash}}-.*\"}"), AfterRollout, recentRollout: true));
        Assert.Equal("e{pod=~\"web-h3-.*\"}", plan.Current);
        Assert.Equal("e{pod=~\"web-h2-.*\"}", plan.Previous);
        Assert.Equal(3, plan.Revision);
        Assert.True(plan.OnRollout);
    }

    [Fact]
    public void A_stable_revision_is_asked_alone_on_the_stable_path()
    {
        var plan = Assert.Single(MetricTargets.Plan(Settings("e{pod=~\"{{deployment}}-{{podTemplateHash}}-.*\"}"), AfterRollout, recentRollout: false));
        Assert.Null(plan.Previous);
        Assert.False(plan.OnRollout);
    }

    [Fact]
    public void A_query_that_cannot_tell_revisions_apart_is_not_compared()
    {
        var plan = Assert.Single(MetricTargets.Plan(Settings("e{deployment=\"{{deployment}}\"}"), AfterRollout, recentRollout: true));
        Assert.Null(plan.Previous);
    }

    [Fact]
    public void The_signal_records_the_filled_query_the_value_and_the_threshold_and_blames_the_new_revision()
    {
        var plan = MetricTargets.Plan(Settings("e{pod=~\"{{deployment}}-{{podTemplateHash}}-.*\"}"), AfterRollout, recentRollout: true)[0];
        var signal = MetricSignals.Raise(Namespace, Name, plan, MetricCheckEvaluator.Evaluate(plan.Check, 0.3, 0.0), Clock.T0);
        Assert.Equal(SignalPath.Rollout, signal.Path);
        Assert.Equal(3, signal.Key.Revision);
        Assert.Equal("metrics/web/error-ratio/r3", signal.Identity);
        Assert.Contains("value 0.3", signal.Message, StringComparison.Ordinal);
        Assert.Contains("threshold above 0.1", signal.Message, StringComparison.Ordinal);
        Assert.Contains("query: e{pod=~\"web-h3-.*\"}", signal.Message, StringComparison.Ordinal);
    }
}
