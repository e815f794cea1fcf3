using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Policy;

namespace IncidentResponder.Core.People;

/// <summary>
/// An incident a person declared (applied with kubectl, source Manual or absent, no status yet), opened as the operator
/// opens one it detects: the spec's severity, a timeline that says who declared it, and the runbook of the governing
/// policy's route for the signal the person named.
/// </summary>
public static class IncidentDeclaration
{
    /// <summary>Who declared it when spec.declaredBy is empty: kubectl does not say who applied an object.</summary>
    public const string Anonymous = "a person (kubectl)";

    /// <summary>Not opened yet, and not created by the operator or the alert intake (those write their own status).</summary>
    public static bool AwaitsDeclaration(IncidentSpec spec, IncidentStatus? status)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return status?.Phase is null && spec.Source is null or IncidentSource.Manual;
    }

    public static string DeclaredBy(IncidentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return string.IsNullOrWhiteSpace(spec.DeclaredBy) ? Anonymous : spec.DeclaredBy;
    }

    /// <summary>The runbook of the policy's route for the signal the person named, else of its route for Manual; null: none.</summary>
    public static string? RunbookFor(RemediationPolicy policy, SignalType signal) =>
        (GoverningPolicy.Route(policy, signal) ?? GoverningPolicy.Route(policy, SignalType.Manual))?.RunbookRef.Name;

    /// <summary>The target does not exist (yet): say so, naming it, instead of waiting in silence.</summary>
    public static IncidentStatus TargetMissing(IncidentStatus? current, IncidentSpec spec, string ns, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var status = IncidentStatusCopy.Clone(current);
        status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.TargetFound, false, PeopleConditions.Reasons.TargetNotFound,
            $"{spec.TargetRef.Kind} {spec.TargetRef.Name} not found in namespace {ns}; the incident opens once it exists (looked for again on every poll)", now);
        return status;
    }

    /// <summary>The declared incident opened: the Opened event as triage would write it, and who declared it.</summary>
    public static IncidentStatus Open(IncidentStatus? current, IncidentSpec spec, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var who = DeclaredBy(spec);
        var firstSeen = spec.Signal.FirstSeen is { } seen ? new DateTimeOffset(DateTime.SpecifyKind(seen, DateTimeKind.Utc)) : now;
        var what = spec.Signal.Message ?? spec.Summary ?? "no description given";
        var signal = new ObservedSignal(
            spec.Signal.Fingerprint ?? $"{spec.TargetRef.Name}/{spec.Signal.Type}/declared",
            spec.Signal.Type,
            spec.Signal.Reason ?? "Declared",
            ActionRecords.Truncate($"declared by {who}: {what}"),
            firstSeen);
        var severity = new SeverityAssessment(spec.Severity, $"{spec.Severity.Name()} as declared by {who}");
        var status = IncidentStateMachine.Apply(current, new IncidentEvent.Opened(signal, severity, firstSeen, null), now);
        status.Conditions = StatusConditions.Set(status.Conditions, PeopleConditions.TargetFound, true, PeopleConditions.Reasons.Found,
            $"{spec.TargetRef.Kind} {spec.TargetRef.Name} exists", now);
        status.People ??= new IncidentPeopleStatus();
        status.People.DeclaredBy = who;
        return status;
    }
}
