using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using IncidentResponder.Core.Triage;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Triage;

public sealed class SignalTriageTests
{
    private static readonly ReplicaSetObservation Good = ReplicaSet(2, Clock.T0.AddDays(-3), replicas: 2, ready: 2);
    private static readonly ReplicaSetObservation Bad = ReplicaSet(3, Clock.At(-60), replicas: 2, ready: 0);
    private static readonly RevisionHistory History = new(ValueList.Of(new RevisionRecord(2, Clock.T0.AddDays(-3), null, TimeSpan.FromDays(3))));
    private static readonly DetectionInput Observed = new(RollingOut(), [Good, Bad], []);

    private static readonly DetectedSignal Crash = new(new SignalKey(Namespace, Name, SignalType.CrashLoop, 3), SignalPath.Rollout,
        "CrashLoopBackOff", "2/2 pods of revision 3 (web-h3) show CrashLoopBackOff", ValueList.Of("bad-1", "bad-2"), 2, Clock.At(-20));

    private static TriageDecision Triage(DetectedSignal signal, params IncidentSummary[] incidents) =>
        SignalTriage.Triage(signal, Observed, incidents, History, Guards.ShopPolicy, Clock.T0);

    [Fact]
    public void A_new_signal_opens_an_incident_with_severity_summary_and_what_changed()
    {
        var decision = Triage(Crash);
        Assert.Equal(MatchKind.Open, decision.Match.Kind);
        var spec = decision.Spec!;
        Assert.Equal(("web", SignalType.CrashLoop, "deployment/web/CrashLoop/r3"), (spec.TargetRef.Name, spec.Signal.Type, spec.Signal.Fingerprint));
        Assert.Equal(Severity.Sev3, spec.Severity); // 3 of 4 ready, the old revision still serves
        Assert.Equal("web: CrashLoop (CrashLoopBackOff); 3 of 4 replicas ready", spec.Summary);
        Assert.Equal((IncidentSource.Detector, "default"), (spec.Source!.Value, spec.PolicyRef!.Name));
        Assert.Equal(3, decision.BadRevision);

        var status = IncidentStateMachine.Apply(null, decision.Event, Clock.T0);
        Assert.Equal(["container app: image registry.example/web:2.0 → registry.example/web:3.0"], status.Change!.Differences);
        Assert.Equal((3L, 2L), (status.Change.FailingRevision!.Value, status.Change.GoodRevision!.Value));
        Assert.Equal("20s", status.TimeToDetect);
    }

    [Fact]
    public void A_signal_on_a_target_with_an_open_incident_joins_it()
    {
        var open = new IncidentSummary("inc-1", Name, IncidentPhase.Mitigating, Clock.At(-100), null, ["deployment/web/ImagePull/r3"]);
        var decision = Triage(Crash, open);
        Assert.Equal((MatchKind.Join, "inc-1"), (decision.Match.Kind, decision.Match.IncidentName));
        Assert.IsType<IncidentEvent.SignalObserved>(decision.Event);
        Assert.Null(decision.Spec);
    }

    [Fact]
    public void A_flapping_target_reopens_its_last_incident()
    {
        var resolved = new IncidentSummary("inc-1", Name, IncidentPhase.Resolved, Clock.At(-900), Clock.At(-300), ["deployment/web/CrashLoop/r3"]);
        var decision = Triage(Crash, resolved);
        Assert.Equal(MatchKind.Reopen, decision.Match.Kind);
        Assert.IsType<IncidentEvent.Reopened>(decision.Event);
    }

    [Fact]
    public void Stable_revision_signals_blame_no_revision() =>
        Assert.Null(Triage(Crash with { Path = SignalPath.StableRevision }).BadRevision);

    [Fact]
    public void The_policy_severity_override_applies()
    {
        var policy = Guards.ShopPolicy with { SeverityOverrides = new Dictionary<SignalType, Severity> { [SignalType.CrashLoop] = Severity.Sev1 } };
        Assert.Equal(Severity.Sev1, SignalTriage.Triage(Crash, Observed, [], History, policy, Clock.T0).Spec!.Severity);
    }
}
