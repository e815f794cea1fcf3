using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Exhaustion;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using IncidentResponder.Core.Triage;

namespace IncidentResponder.Core.Tests.Exhaustion;

public sealed class StableSignalTriageTests
{
    [Fact]
    public void An_oom_incident_on_a_stable_revision_is_triaged_with_the_exhaustion_table_and_marks_no_revision_bad()
    {
        var observed = new DetectionInput(Exhausted.Web(), [Exhausted.Stable], Exhausted.OomPods());
        var detection = ExhaustionDetector.Detect(ExhaustionInput.Of(observed), DetectionThresholds.Default with { HoldFor = TimeSpan.Zero },
            ExhaustionThresholds.Default, HysteresisState.Empty, RestartHistory.Empty, Clock.T0).Result;
        var signal = Assert.Single(detection.StableRevisionSignals);

        var triage = SignalTriage.Triage(signal, observed, [], RevisionHistory.Empty, Guards.ShopPolicy, Clock.T0);

        var opened = Assert.IsType<IncidentEvent.Opened>(triage.Event);
        Assert.Equal(Severity.Sev3, opened.Severity.Severity); // the rollout table would say SEV-4: no older revision serves
        Assert.Equal((SignalType.OOMKilled, (long?)null), (triage.Spec!.Signal.Type, triage.BadRevision));
    }
}
