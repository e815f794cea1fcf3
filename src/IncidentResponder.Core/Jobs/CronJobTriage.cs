using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Triage;

namespace IncidentResponder.Core.Jobs;

/// <summary>
/// Triage of a CronJob's signal: the same open / join / reopen and severity table as a Deployment's (through
/// <see cref="SignalTriage"/>), with the incident about the CronJob (batch/v1) and a summary in terms of its runs.
/// </summary>
public static class CronJobTriage
{
    public const string ApiVersion = "batch/v1";
    public const string Kind = "CronJob";

    public static TriageDecision Triage(
        DetectedSignal signal, CronJobDetection detection, DetectionInput workload, IEnumerable<IncidentSummary> incidents, EffectivePolicy policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(workload);
        var decision = SignalTriage.Triage(signal, workload, incidents, RevisionHistory.Empty, policy, now);
        if (decision.Spec is not { } spec)
        {
            return decision;
        }

        spec.TargetRef = new TargetReference { ApiVersion = ApiVersion, Kind = Kind, Name = workload.Deployment.Name };
        spec.Summary = ActionRecords.Truncate(
            $"{workload.Deployment.Name}: {signal.Key.Type} ({signal.Reason}); the last {detection.FailedRuns.Count} run(s) of the CronJob failed");
        return decision with { BadRevision = null };
    }
}
