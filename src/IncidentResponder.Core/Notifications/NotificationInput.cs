using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Notifications;

/// <summary>Everything the planner reads for one incident and one target: data only, no clock, no I/O.</summary>
/// <param name="Uid">The incident's UID, for PagerDuty's dedup_key.</param>
/// <param name="Contacts">The runbook's escalation contacts, named in an escalation update.</param>
/// <param name="Record">What the target was sent so far (null: nothing yet).</param>
/// <param name="FirstFailureBackoff">How long after a first failed delivery the next is tried (doubles per failure).</param>
/// <param name="Maintenance">The policy's maintenance window open now, if any: PagerDuty is not paged while it is.</param>
public sealed record NotificationInput(
    string Namespace,
    string Name,
    string? Uid,
    IncidentSpec Spec,
    IncidentStatus Status,
    NotificationTarget Target,
    NotificationCadence? Cadence,
    NotificationRecord? Record,
    IReadOnlyList<string> Contacts,
    TimeSpan? FirstFailureBackoff = null,
    Policy.OpenMaintenanceWindow? Maintenance = null);
