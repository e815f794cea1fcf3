using System.Globalization;
using IncidentResponder.Core.Observations;
using k8s.Models;
using CoreQuantity = IncidentResponder.Core.Observations.ResourceQuantity;
using KubeQuantity = k8s.Models.ResourceQuantity;

namespace IncidentResponder.Operator.Observation;

/// <summary>Reduces a pod template to the core's <see cref="PodTemplateSummary"/>: env names only, never values.</summary>
public static class TemplateSummaries
{
    public static PodTemplateSummary From(V1PodTemplateSpec? template)
    {
        var containers = template?.Spec?.Containers ?? [];
        return new PodTemplateSummary(new ValueList<ContainerSummary>(containers.Select(Container)), TemplateFingerprint.Of(template));
    }

    private static ContainerSummary Container(V1Container container) => new(
        container.Name,
        container.Image ?? string.Empty,
        new ValueList<string>((container.Env ?? []).Select(e => e.Name).Order(StringComparer.Ordinal)),
        Quantities(container.Resources?.Requests),
        Quantities(container.Resources?.Limits),
        new ValueList<string>(container.Command ?? []),
        new ValueList<string>(container.Args ?? []),
        Probe(container.ReadinessProbe),
        Probe(container.LivenessProbe),
        Probe(container.StartupProbe));

    private static ValueList<CoreQuantity> Quantities(IDictionary<string, KubeQuantity>? resources) =>
        new((resources ?? new Dictionary<string, KubeQuantity>())
            .OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new CoreQuantity(r.Key, r.Value.ToString())));

    /// <summary>One line a person can compare, e.g. "httpGet :8080/healthz period=10s".</summary>
    public static string? Probe(V1Probe? probe)
    {
        if (probe is null)
        {
            return null;
        }

        var how = probe switch
        {
            { HttpGet: { } http } => $"httpGet :{http.Port}{http.Path}",
            { TcpSocket: { } tcp } => $"tcpSocket :{tcp.Port}",
            { Exec: { } exec } => "exec " + string.Join(' ', exec.Command ?? []),
            { Grpc: { } grpc } => $"grpc :{grpc.Port}",
            _ => "probe",
        };
        var timing = string.Create(CultureInfo.InvariantCulture,
            $" delay={probe.InitialDelaySeconds ?? 0}s period={probe.PeriodSeconds ?? 10}s failures={probe.FailureThreshold ?? 3}");
        return how + timing;
    }
}
