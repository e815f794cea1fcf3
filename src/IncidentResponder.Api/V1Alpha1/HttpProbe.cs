using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>
/// The playbook's <c>curl</c> health check: a GET that must answer with the expected status within a latency budget.
/// Of a Service's path through the API server's service proxy (works wherever the operator may get services/proxy),
/// or of a URL, which only reaches where the admin's egress allow-list lets it.
/// </summary>
[CelRule("has(self.service) != has(self.url)", "set exactly one of 'service' (GET through the API server's service proxy) or 'url' (GET through the egress allow-list)")]
[CelRule("!has(self.port) && !has(self.path) || has(self.service)", "'port' and 'path' belong to 'service'; a 'url' carries its own")]
public class HttpProbe
{
    [DnsLabel]
    [Description("Service in the target's namespace to GET through the API server's service proxy.")]
    public string? Service { get; set; }

    [MaxLength(63), RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    [Description("The Service's port, by name or number; default: its only port.")]
    public string? Port { get; set; }

    [MaxLength(1024), RegularExpression("^[^?#]*$")]
    [Description("Path on the Service, e.g. /healthz; default: /.")]
    public string? Path { get; set; }

    [MaxLength(2048), RegularExpression("^https?://.+")]
    [Description("A URL to GET instead of a Service; only addresses the operator's egress allow-list permits are reached.")]
    public string? Url { get; set; }

    [DefaultValue(200), Range(100, 599)]
    [Description("The status the answer must have.")]
    public int? ExpectStatus { get; set; }

    [DefaultValue("1s"), Duration]
    [Description("The answer must come within this long; a slower answer fails the probe even with the right status.")]
    public string? LatencyBudget { get; set; }

    [DefaultValue("10s"), Duration]
    [Description("Give up on the GET after this long (the probe fails as unreachable).")]
    public string? Timeout { get; set; }
}

/// <summary>
/// A policy's health probe, run against each governed Deployment on an interval: failing for its threshold, it opens
/// a HealthCheckFailing incident.
/// </summary>
public sealed class PolicyProbe : HttpProbe
{
    [Required, DnsLabel]
    [Description("Name of the probe, unique in the policy; shown in the incident's evidence.")]
    public string Name { get; set; } = string.Empty;

    [DefaultValue("10s"), Duration]
    [Description("How often the probe runs.")]
    public string? Interval { get; set; }

    [DefaultValue(3), Range(1, 100)]
    [Description("Consecutive failures that make a HealthCheckFailing signal.")]
    public int? FailureThreshold { get; set; }
}
