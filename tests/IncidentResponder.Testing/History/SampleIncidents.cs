using IncidentResponder.Api.V1Alpha1;
using k8s.Models;

namespace IncidentResponder.Testing;

/// <summary>Incidents as the API server would hand them over, built from a few figures.</summary>
public static class SampleIncidents
{
    public static readonly DateTime T0 = new(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc);

    public static Incident Incident(
        string name = "web-crashloop-r2", string ns = "shop", string? uid = null, Severity severity = Severity.Sev2,
        double? detectSeconds = 5, double? restoreSeconds = 60, DateTime? detectedAt = null, IncidentPhase phase = IncidentPhase.Resolved)
    {
        var detected = detectedAt ?? T0;
        var status = new IncidentStatus
        {
            Phase = phase,
            Severity = severity,
            DetectedAt = detected,
            OpenedAt = detectSeconds is { } d ? detected.AddSeconds(d) : null,
            MitigatedAt = restoreSeconds is { } r ? detected.AddSeconds(r) : null,
            ResolvedAt = phase == IncidentPhase.Resolved && restoreSeconds is { } s ? detected.AddSeconds(s + 30) : null,
            TimeToDetect = detectSeconds is { } dd ? $"{dd}s" : null,
            Actions =
            [
                new ActionRecord
                {
                    Step = "rollback", Type = ActionType.RolloutUndo, Phase = ActionPhase.Succeeded, Attempt = 1,
                    StartedAt = detected.AddSeconds(10), FinishedAt = detected.AddSeconds(20), Message = "rolled back to revision 1",
                    Details = new Dictionary<string, string> { ["toRevision"] = "1" },
                },
            ],
            Timeline =
            [
                Entry(detected, TimelineEntryType.Detected, "CrashLoopBackOff on web"),
                Entry(detected.AddSeconds(5), TimelineEntryType.Triaged, "SEV-2"),
                Entry(detected.AddSeconds(10), TimelineEntryType.Action, "rollback started"),
            ],
            Change = new RevisionChange { FailingRevision = 2, GoodRevision = 1, Differences = ["image: nginx:1.25 → nginx:1.26"] },
        };
        return new Incident
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Uid = uid ?? Guid.NewGuid().ToString(),
                CreationTimestamp = detected.AddSeconds(detectSeconds ?? 1),
                ResourceVersion = "1",
            },
            Spec = new IncidentSpec
            {
                TargetRef = new TargetReference { Name = "web", Kind = "Deployment", ApiVersion = "apps/v1" },
                Signal = new Signal { Type = SignalType.CrashLoop, Reason = "CrashLoopBackOff", Fingerprint = "shop/web/CrashLoop/r2", FirstSeen = detected },
                Severity = severity,
                Summary = "web crash-loops after the rollout of revision 2",
                RunbookRef = new LocalObjectReference { Name = "rollback" },
                Source = IncidentSource.Detector,
            },
            Status = status,
        };
    }

    public static TimelineEntry Entry(DateTime time, TimelineEntryType type, string message) => new() { Time = time, Type = type, Message = message };
}
