using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

public sealed partial class RemediationPolicySpec
{
    [MaxLength(20), ListMapKeys("name")]
    [Description("Health probes run against every governed Deployment on an interval; one failing for its threshold opens a HealthCheckFailing incident.")]
    public List<PolicyProbe>? Probes { get; set; }
}
