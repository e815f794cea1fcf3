using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Decisions;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Actions;

/// <summary>
/// Pods OOM-killed again and again after a memory raise end up in CrashLoopBackOff; once their last kill is older than
/// the OOM lookback they show as a restart storm, not as OOM kills. That is still the remediation loop: the second
/// raise must escalate ("OOM kills continue"), not be skipped so the runbook tries something else on the same workload.
/// </summary>
public sealed class ContinuedOomAfterRaiseTests
{
    private static readonly PriorRaise OwnRaise = new(Exhausted.IncidentName, "raise-memory", Clock.At(-120), ThisIncident: true);

    private static DeploymentObservation RaisedWeb() => Exhausted.Web("384Mi");

    private static ActionPlan Plan(PriorRaise prior, bool oomContinues, bool restartStorm) =>
        MemoryLimitPlanner.Plan(new RaiseMemoryLimitAction { Factor = 2 }, RaisedWeb(), ["app"], [prior], oomContinues, ActionCaps.Default, Clock.T0, restartStorm);

    [Fact]
    public void A_restart_storm_after_this_incidents_raise_escalates_as_continued_oom()
    {
        var escalate = Assert.IsType<ActionPlan.Escalate>(Plan(OwnRaise, oomContinues: false, restartStorm: true));
        Assert.StartsWith("OOM kills continue after the memory limit of Deployment web was raised (step raise-memory of incident web-oom-1 raised it 2m0s ago); " +
            "its pods now restart in a storm", escalate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_restart_storm_after_another_incidents_raise_only_hits_the_once_per_window_rule()
    {
        // Another incident's raise was verified or given up on by that incident; this one's storm is not proof of its loop.
        var other = OwnRaise with { Incident = "web-oom-0", ThisIncident = false };
        Assert.Contains("at most once per 24h0m0s", Assert.IsType<ActionPlan.Skip>(Plan(other, oomContinues: false, restartStorm: true)).Reason,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Calm_pods_after_the_raise_still_only_skip_the_second_raise()
    {
        Assert.IsType<ActionPlan.Skip>(Plan(OwnRaise, oomContinues: false, restartStorm: false));
        Assert.IsType<ActionPlan.Escalate>(Plan(OwnRaise, oomContinues: true, restartStorm: false));
    }

    [Fact]
    public void The_decider_escalates_a_second_raise_step_when_the_raised_pods_storm()
    {
        var runbook = new RunbookSpec
        {
            Title = "Out of memory",
            Signals = [SignalType.OOMKilled, SignalType.RestartStorm],
            Steps =
            [
                new RunbookStep { Name = "raise-memory", Action = new RunbookAction { Type = ActionType.RaiseMemoryLimit, RaiseMemoryLimit = new RaiseMemoryLimitAction { Factor = 1.5 } } },
                new RunbookStep { Name = "raise-memory-more", Action = new RunbookAction { Type = ActionType.RaiseMemoryLimit, RaiseMemoryLimit = new RaiseMemoryLimitAction { Factor = 2 } } },
                new RunbookStep { Name = "scale-out", Action = new RunbookAction { Type = ActionType.Scale, Scale = new ScaleAction { Delta = 2 } } },
            ],
        };
        var raised = IncidentStateMachine.ApplyAll(Exhausted.Opened(),
        [
            new IncidentEvent.IntentRecorded("raise-memory", ActionType.RaiseMemoryLimit, 1, "raise", new Dictionary<string, string> { ["toLimit"] = "384Mi" }),
            new IncidentEvent.ActionApplied("raise-memory", 1, "raised"),
            new IncidentEvent.VerificationFailed("raise-memory", 1, "new OOMKilled signal"),
        ], Clock.At(-120));
        var context = Exhausted.Context(runbook, Guards.ShopPolicy, raised, RaisedWeb(), pods: [CrashLooping("web-1", 2), CrashLooping("web-2", 2)]);
        var storm = new DetectedSignal(new SignalKey(Namespace, "web", SignalType.RestartStorm, 2), SignalPath.StableRevision, "RestartStorm",
            "2/2 pods of revision 2 restarted at least 3 times in 10m0s", ValueList.Of("web-1", "web-2"), 2, Clock.At(-30));
        context = context with { Detection = context.Detection with { Confirmed = ValueList.Of(storm), Pending = ValueList<DetectedSignal>.Empty } };

        var decision = IncidentDecider.Decide(context, Clock.T0);

        Assert.Equal(IncidentPhase.Escalated, decision.Status.Phase);
        var escalated = StatusConditions.Find(decision.Status.Conditions, Conditions.Escalated)!;
        Assert.Equal("RepeatWouldNotHelp", escalated.Reason);
        Assert.Contains("step raise-memory-more: OOM kills continue after the memory limit of Deployment web was raised", escalated.Message, StringComparison.Ordinal);
        Assert.IsType<Effect.Notify>(Assert.Single(decision.Effects));
        Assert.DoesNotContain(decision.Status.Actions!, a => a.Step is "raise-memory-more" or "scale-out");
    }
}
