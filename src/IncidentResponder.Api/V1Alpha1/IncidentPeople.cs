using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

// What people write into an Incident's spec to run it: the operator reads these and records the outcome in status.
// Every request names who made it ("by"), as `kubectl incident` and the Slack buttons fill it in from the person's
// identity. Requests that can happen more than once (hand back, reopen) carry "at": a later time is a new request.

/// <summary>A person's request on an incident: who, and when.</summary>
public sealed class PersonRequest
{
    [Required, MinLength(1), MaxLength(253)]
    [Description("Who made the request: the Kubernetes user (kubectl auth whoami) or the Slack user's name.")]
    public string By { get; set; } = string.Empty;

    [Description("When the request was made. A request with a later time than the one last applied is a new request.")]
    public DateTime? At { get; set; }

    [MaxLength(1024)]
    [Description("Why, in a line.")]
    public string? Reason { get; set; }
}

/// <summary>The people running an incident, as incident.io and PagerDuty name them.</summary>
public sealed class IncidentRoles
{
    [MaxLength(253)]
    [Description("Who decides: the incident commander.")]
    public string? Commander { get; set; }

    [MaxLength(253)]
    [Description("Who writes the updates: the communications lead.")]
    public string? Communications { get; set; }
}

/// <summary>A runbook step a person approved.</summary>
public sealed class StepApproval
{
    [Required, DnsLabel]
    [Description("The runbook step approved (a step of the incident's runbook).")]
    public string Step { get; set; } = string.Empty;

    [Required, MinLength(1), MaxLength(253)]
    [Description("Who approved it.")]
    public string By { get; set; } = string.Empty;

    [Description("When.")]
    public DateTime? At { get; set; }
}

public enum ResolutionOutcome
{
    /// <summary>The incident is over: the service is healthy.</summary>
    Resolved,

    /// <summary>It was a false alarm: nothing was wrong.</summary>
    Cancelled,
}

/// <summary>A person closing the incident.</summary>
public sealed class IncidentResolution
{
    [Required]
    [Description("Resolved (it is over) or Cancelled (a false alarm).")]
    public ResolutionOutcome Outcome { get; set; }

    [Required, MinLength(1), MaxLength(1024)]
    [Description("Why the incident is closed; required, it is the first line of the post-mortem's resolution.")]
    public string Reason { get; set; } = string.Empty;

    [Required, MinLength(1), MaxLength(253)]
    [Description("Who closed it.")]
    public string By { get; set; } = string.Empty;

    [Required]
    [Description("When. A reopen with a later time reopens the incident.")]
    public DateTime At { get; set; }
}

/// <summary>A person's change of the incident's severity.</summary>
public sealed class SeverityRegrade
{
    [Required]
    [Description("The severity a person sets; it holds until a person changes it again.")]
    public Severity Severity { get; set; }

    [Required, MinLength(1), MaxLength(253)]
    [Description("Who re-graded it.")]
    public string By { get; set; } = string.Empty;

    [MaxLength(1024)]
    [Description("Why.")]
    public string? Reason { get; set; }
}

/// <summary>A line a person adds to the incident's story.</summary>
public sealed class PersonNote
{
    [Required, MinLength(1), MaxLength(253)]
    [Description("Who wrote it.")]
    public string By { get; set; } = string.Empty;

    [Required]
    [Description("When.")]
    public DateTime At { get; set; }

    [Required, MinLength(1), MaxLength(1024)]
    [Description("The line, as it goes into the timeline.")]
    public string Text { get; set; } = string.Empty;
}

/// <summary>What the operator made of the people's requests: who holds the incident, and which requests it applied.</summary>
public sealed class IncidentPeopleStatus
{
    [Description("Who declared the incident, when a person did.")]
    public string? DeclaredBy { get; set; }

    [Description("Who acknowledged the incident.")]
    public string? AcknowledgedBy { get; set; }

    [Description("When the acknowledgement was applied.")]
    public DateTime? AcknowledgedAt { get; set; }

    [Description("Who holds the incident now: the commander, else who acknowledged it; absent while automation holds it.")]
    public string? HeldBy { get; set; }

    [Description("The incident commander, as last set in spec.roles.")]
    public string? Commander { get; set; }

    [Description("The communications lead, as last set in spec.roles.")]
    public string? Communications { get; set; }

    [Description("The time of the last hand-back applied (spec.handback.at).")]
    public DateTime? HandedBackAt { get; set; }

    [Description("The time of the last reopen applied (spec.reopen.at).")]
    public DateTime? ReopenedAt { get; set; }

    [Description("Who closed the incident, when a person did.")]
    public string? ClosedBy { get; set; }

    [MaxLength(1024)]
    [Description("Why the incident was closed, as the person wrote it.")]
    public string? ClosedReason { get; set; }

    [Description("How many of spec.notes are already in the timeline.")]
    public int? NotesRecorded { get; set; }
}
