using System.ComponentModel;
using System.Text.Json.Serialization;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>The incident-response playbook's severity table: SEV-1 is a full outage, SEV-4 cosmetic.</summary>
[Description("Incident severity, from SEV-1 (full outage) to SEV-4 (cosmetic, low-traffic feature).")]
public enum Severity
{
    /// <summary>Full outage, data loss, security breach. Respond immediately; update every 15 min.</summary>
    [JsonStringEnumMemberName("SEV-1")]
    Sev1 = 1,

    /// <summary>Major feature broken, significant user impact. Respond within 30 min; update every 30 min.</summary>
    [JsonStringEnumMemberName("SEV-2")]
    Sev2 = 2,

    /// <summary>Minor feature degraded, workaround available. Respond within 2 hours; update hourly.</summary>
    [JsonStringEnumMemberName("SEV-3")]
    Sev3 = 3,

    /// <summary>Cosmetic issue, low-traffic feature. Next business day; update as needed.</summary>
    [JsonStringEnumMemberName("SEV-4")]
    Sev4 = 4,
}
