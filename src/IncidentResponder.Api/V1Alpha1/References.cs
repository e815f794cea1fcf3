using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using IncidentResponder.Api.Schema;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>A reference to an object in the same namespace.</summary>
public sealed class LocalObjectReference
{
    [Required, DnsSubdomainName]
    [Description("Name of the object, in the same namespace.")]
    public string Name { get; set; } = string.Empty;
}

/// <summary>A key of a Secret in the same namespace. Secrets are only ever referenced, never copied into resources.</summary>
public sealed class SecretKeyReference
{
    [Required, DnsSubdomainName]
    [Description("Name of the Secret, in the same namespace.")]
    public string Name { get; set; } = string.Empty;

    [Required, MinLength(1), MaxLength(253)]
    [RegularExpression(@"^[-._a-zA-Z0-9]+$")]
    [Description("Key within the Secret.")]
    public string Key { get; set; } = string.Empty;
}

/// <summary>The workload an incident is about, in the incident's namespace.</summary>
public sealed class TargetReference
{
    [DefaultValue("apps/v1")]
    [Description("API version of the target: apps/v1, or batch/v1 for a CronJob.")]
    public string? ApiVersion { get; set; }

    [DefaultValue("Deployment")]
    [RegularExpression("^(Deployment|StatefulSet|DaemonSet|CronJob)$")]
    [Description("Kind of the target: an apps/v1 Deployment, StatefulSet or DaemonSet, or a batch/v1 CronJob.")]
    public string? Kind { get; set; }

    [Required, DnsSubdomainName]
    [Description("Name of the target, in the incident's namespace.")]
    public string Name { get; set; } = string.Empty;
}

/// <summary>A link (dashboard, documentation) shown with a runbook.</summary>
public sealed class Link
{
    [Required, MinLength(1), MaxLength(200)]
    [Description("What the link is.")]
    public string Title { get; set; } = string.Empty;

    [Required, MaxLength(2048)]
    [RegularExpression("^https?://.+")]
    [Description("An http(s) URL.")]
    public string Url { get; set; } = string.Empty;
}
