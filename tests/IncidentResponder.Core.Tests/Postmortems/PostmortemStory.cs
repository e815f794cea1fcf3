using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Postmortems;
using k8s.Models;

namespace IncidentResponder.Core.Tests.Postmortems;

/// <summary>A crash-looping rollout rolled back by the operator: the record a post-mortem is written from, with every field set.</summary>
internal static class PostmortemStory
{
    public static readonly DateTime Detected = new(2026, 11, 27, 14, 23, 0, DateTimeKind.Utc);

    public static Incident RolledBack()
    {
        var incident = new Incident
        {
            Metadata = new V1ObjectMeta { Name = "web-crashloop-r2", NamespaceProperty = "shop" },
            Spec = new IncidentSpec
            {
                TargetRef = new TargetReference { Name = "web" },
                Signal = new Signal { Type = SignalType.CrashLoop, Reason = "CrashLoopBackOff", Message = "2 of 2 pods of revision 2 in CrashLoopBackOff" },
                Severity = Severity.Sev2,
            },
            Status = new IncidentStatus
            {
                Phase = IncidentPhase.Resolved,
                Severity = Severity.Sev2,
                DetectedAt = Detected,
                OpenedAt = Detected.AddSeconds(4),
                MitigatedAt = Detected.AddSeconds(95),
                ResolvedAt = Detected.AddSeconds(160),
                TimeToDetect = "4s",
                TimeToMitigate = "1m35s",
                Change = new RevisionChange { FailingRevision = 2, GoodRevision = 1, Differences = ["container nginx: image nginx:1.25 → nginx:1.26"] },
                Actions =
                [
                    new ActionRecord
                    {
                        Step = "rollback", Type = ActionType.RolloutUndo, Phase = ActionPhase.Succeeded, Attempt = 1,
                        StartedAt = Detected.AddSeconds(5), FinishedAt = Detected.AddSeconds(95), Message = "rolled back to revision 1",
                        Details = new Dictionary<string, string> { ["fromRevision"] = "2", ["toRevision"] = "1" },
                    },
                ],
                Timeline =
                [
                    Entry(4, TimelineEntryType.Detected, "CrashLoop detected: 2 of 2 pods of revision 2 in CrashLoopBackOff"),
                    Entry(4, TimelineEntryType.Triaged, "SEV-2: all new pods failing"),
                    Entry(5, TimelineEntryType.Action, "rollback: rolling back from revision 2 to revision 1"),
                    Entry(95, TimelineEntryType.Verification, "rollback verified: 2 of 2 replicas available"),
                    Entry(160, TimelineEntryType.Phase, "Resolved: signal cleared"),
                ],
            },
        };
        return incident;
    }

    public static EvidenceBundle Evidence() => new(
        "web-crashloop-r2", "shop", "web", new DateTimeOffset(Detected.AddSeconds(6)),
        new TargetSnapshot(2, 1, 1, 2, 600, [new ContainerSettings("nginx", "nginx:1.26", null, "256Mi", ReadinessProbe: false, LivenessProbe: false)]),
        [new LogExcerpt("web-2-abc", "nginx", false, ["ERROR failed to connect", "FATAL exiting"], 0)],
        [new ErrorCount("fatal", 4, "FATAL exiting"), new ErrorCount("error", 4, "ERROR failed to connect")],
        [new EventSummary(new DateTimeOffset(Detected.AddSeconds(2)), new DateTimeOffset(Detected.AddSeconds(3)), "Warning", "BackOff", "Pod", "web-2-abc", 3, "Back-off restarting failed container nginx")],
        [
            new RevisionEntry(2, "web-2", ["nginx:1.26"], 2, 0, new DateTimeOffset(Detected.AddSeconds(-30))),
            new RevisionEntry(1, "web-1", ["nginx:1.25"], 1, 1, new DateTimeOffset(Detected.AddDays(-1))),
        ],
        new RevisionDiff(2, 1, ["container nginx: image nginx:1.25 → nginx:1.26"]),
        []);

    public static PostmortemInput Input(Incident? incident = null, EvidenceBundle? evidence = null, ResponseTargets? targets = null) =>
        new(incident ?? RolledBack(), evidence ?? Evidence(), targets ?? ResponseTargets.Default);

    private static TimelineEntry Entry(int seconds, TimelineEntryType type, string message) =>
        new() { Time = Detected.AddSeconds(seconds), Type = type, Message = message };
}
