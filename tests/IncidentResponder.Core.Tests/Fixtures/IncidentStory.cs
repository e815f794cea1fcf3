using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Tests.Fixtures;

/// <summary>Events of a typical rollback incident.</summary>
public static class IncidentStory
{
    public static readonly ObservedSignal Crash = new("deployment/web/CrashLoop/r3", SignalType.CrashLoop, "CrashLoopBackOff",
        "2/4 pods of revision 3 (web-h3) show CrashLoopBackOff", Clock.At(-20));

    public static readonly ObservedSignal ImagePull = new("deployment/web/ImagePull/r3", SignalType.ImagePull, "ImagePullBackOff",
        "2/4 pods of revision 3 (web-h3) show ImagePullBackOff", Clock.At(-10));

    public static IncidentEvent Opened() => new IncidentEvent.Opened(Crash, new SeverityAssessment(Severity.Sev2, "SEV-2: 3 of 4 replicas unavailable"),
        Clock.At(-20), new RevisionChange { FailingRevision = 3, GoodRevision = 2, Differences = ["container app: image web:2 → web:3"] });

    public static IncidentEvent Intent(int attempt = 1) =>
        new IncidentEvent.IntentRecorded("rollback", ActionType.RolloutUndo, attempt, "roll back to revision 2",
            new Dictionary<string, string> { ["toRevision"] = "2", ["fromRevision"] = "3" });

    public static IncidentEvent Applied(int attempt = 1) => new IncidentEvent.ActionApplied("rollback", attempt, "rolled back to revision 2");

    public static IncidentEvent Passed(int attempt = 1) => new IncidentEvent.VerificationPassed("rollback", attempt, "Available, NoNewSignal held for 30s");

    public static IncidentEvent Failed(int attempt = 1) => new IncidentEvent.VerificationFailed("rollback", attempt, "timed out after 5m0s; not met: Available");

    /// <summary>Opened at T0, intent at +1s, applied at +2s, verified at +40s, resolved at +100s.</summary>
    public static IncidentStatus Through(int boundary)
    {
        (IncidentEvent Event, double At)[] story =
        [
            (Opened(), 0), (Intent(), 1), (Applied(), 2), (Passed(), 40), (new IncidentEvent.Resolved("signal cleared for 1m0s"), 100),
        ];
        return story.Take(boundary).Aggregate(new IncidentStatus(), (s, step) => IncidentStateMachine.Apply(s, step.Event, Clock.At(step.At)));
    }
}
