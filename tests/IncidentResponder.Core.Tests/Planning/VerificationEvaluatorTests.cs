using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Planning;
using IncidentResponder.Core.Probes;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Planning;

public sealed class VerificationEvaluatorTests
{
    private static readonly VerificationSnapshot Healthy = new(Available: true, NewPodsReady: true, SignalPresent: false);
    private static readonly StepVerification Verify = new() { Window = "30s", Timeout = "2m" };
    private static readonly DateTimeOffset Started = Clock.T0;

    [Fact]
    public void Healthy_starts_the_window()
    {
        var result = VerificationEvaluator.Evaluate(Verify, Healthy, Started, null, Clock.At(5));
        Assert.Equal((VerificationOutcome.Waiting, (DateTimeOffset?)Clock.At(5)), (result.Outcome, result.HealthySince));
        Assert.Equal("healthy for 0s of 30s", result.Reason);
    }

    [Fact]
    public void Healthy_for_the_whole_window_passes()
    {
        var result = VerificationEvaluator.Evaluate(Verify, Healthy, Started, Clock.At(5), Clock.At(35));
        Assert.Equal(VerificationOutcome.Passed, result.Outcome);
        Assert.Equal("Available, NoNewSignal held for 30s", result.Reason);
    }

    [Fact]
    public void A_relapse_resets_the_window()
    {
        var result = VerificationEvaluator.Evaluate(Verify, Healthy with { SignalPresent = true }, Started, Clock.At(5), Clock.At(30));
        Assert.Equal((VerificationOutcome.Waiting, (DateTimeOffset?)null), (result.Outcome, result.HealthySince));
        Assert.Equal("not met: NoNewSignal", result.Reason);
    }

    [Fact]
    public void Timeout_fails_with_what_was_missing()
    {
        var result = VerificationEvaluator.Evaluate(Verify, Healthy with { Available = false }, Started, null, Clock.At(120));
        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal("timed out after 2m0s; not met: Available", result.Reason);
    }

    [Fact]
    public void Timeout_while_healthy_but_short_of_the_window_fails()
    {
        var result = VerificationEvaluator.Evaluate(Verify, Healthy, Started, Clock.At(100), Clock.At(120));
        Assert.Equal(VerificationOutcome.Failed, result.Outcome);
        Assert.Equal("timed out after 2m0s; healthy for 20s of 30s", result.Reason);
    }

    [Fact]
    public void Only_the_listed_checks_count()
    {
        var onlyPods = new StepVerification { Window = "0s", Checks = [VerificationCheck.NewPodsReady] };
        Assert.Equal(VerificationOutcome.Passed,
            VerificationEvaluator.Evaluate(onlyPods, new VerificationSnapshot(false, true, true), Started, null, Clock.At(1)).Outcome);
        Assert.Equal(VerificationOutcome.Waiting,
            VerificationEvaluator.Evaluate(onlyPods, new VerificationSnapshot(true, false, false), Started, null, Clock.At(1)).Outcome);
    }

    [Fact]
    public void Defaults_are_available_and_no_new_signal_for_30s_within_5m()
    {
        Assert.Equal(VerificationOutcome.Waiting,
            VerificationEvaluator.Evaluate(null, Healthy with { NewPodsReady = false }, Started, Clock.At(1), Clock.At(30)).Outcome);
        Assert.Equal(VerificationOutcome.Passed,
            VerificationEvaluator.Evaluate(null, Healthy with { NewPodsReady = false }, Started, Clock.At(0), Clock.At(30)).Outcome);
        Assert.Equal(VerificationOutcome.Failed,
            VerificationEvaluator.Evaluate(null, Healthy with { Available = false }, Started, null, Clock.At(300)).Outcome);
    }

    [Fact]
    public void The_query_check_waits_until_the_metrics_signal_clears_and_then_for_the_window()
    {
        var verify = new StepVerification { Window = "30s", Timeout = "2m", Checks = [VerificationCheck.Available, VerificationCheck.Query] };
        var holding = VerificationEvaluator.Evaluate(verify, Healthy with { MetricHolding = true }, Started, null, Clock.At(40));
        Assert.Equal(VerificationOutcome.Waiting, holding.Outcome);
        Assert.Equal("not met: Query", holding.Reason);
        var cleared = VerificationEvaluator.Evaluate(verify, Healthy, Started, null, Clock.At(41));
        Assert.Equal(VerificationOutcome.Waiting, cleared.Outcome);
        Assert.Equal(VerificationOutcome.Passed, VerificationEvaluator.Evaluate(verify, Healthy, Started, Clock.At(41), Clock.At(71)).Outcome);
    }

    [Fact]
    public void The_http_probe_check_passes_only_with_a_passing_probe_and_says_what_the_probe_saw_when_it_does_not()
    {
        var verify = new StepVerification { Window = "30s", Timeout = "2m", Checks = [VerificationCheck.Available, VerificationCheck.HttpProbe] };
        var settings = ProbeSettings.From(new HttpProbe { Service = "web", Path = "/healthz", LatencyBudget = "300ms" });
        var late = ProbeJudge.Judge(settings, new ProbeAnswer(200, TimeSpan.FromSeconds(2)));
        var fine = ProbeJudge.Judge(settings, new ProbeAnswer(200, TimeSpan.FromMilliseconds(20)));

        var notProbed = VerificationEvaluator.Evaluate(verify, Healthy, Started, null, Clock.At(5));
        var failing = VerificationEvaluator.Evaluate(verify, Healthy with { Probe = late }, Started, Clock.At(5), Clock.At(40));
        var passing = VerificationEvaluator.Evaluate(verify, Healthy with { Probe = fine }, Started, Clock.At(5), Clock.At(35));

        Assert.Equal((VerificationOutcome.Waiting, "not met: HttpProbe (not probed yet)"), (notProbed.Outcome, notProbed.Reason));
        Assert.Equal((VerificationOutcome.Waiting, (DateTimeOffset?)null), (failing.Outcome, failing.HealthySince));
        Assert.Equal("not met: HttpProbe (GET service web/healthz answered 200 in 2s, over its 300ms budget)", failing.Reason);
        Assert.Equal((VerificationOutcome.Passed, "Available, HttpProbe held for 30s"), (passing.Outcome, passing.Reason));
    }
}
