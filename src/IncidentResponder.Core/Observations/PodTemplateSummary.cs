namespace IncidentResponder.Core.Observations;

/// <summary>
/// The parts of a pod template a person asks about when a rollout fails ("what changed?"), normalised so two
/// summaries can be compared: env var NAMES only (values may be secrets and never leave the cluster object),
/// resources as canonical quantity strings, probes as one descriptive line each.
/// </summary>
/// <param name="Containers">Containers in template order (init containers are not included).</param>
/// <param name="Fingerprint">
/// Optional hash of the full pod template without the pod-template-hash label, computed by the shell. The summary
/// leaves fields out (volumes, labels, security context), so when both sides carry a fingerprint it decides
/// "same template", as kubectl's equalIgnoreHash does.
/// </param>
public sealed record PodTemplateSummary(ValueList<ContainerSummary> Containers, string? Fingerprint = null)
{
    /// <summary>The same template, judged by fingerprint when both have one, otherwise by the summaries.</summary>
    public bool SameTemplateAs(PodTemplateSummary other) =>
        Fingerprint is not null && other.Fingerprint is not null
            ? Fingerprint == other.Fingerprint
            : Containers.Equals(other.Containers);
}

/// <param name="Name">Container name.</param>
/// <param name="Image">Image reference as written in the template.</param>
/// <param name="EnvNames">Names of env vars (sorted by the shell or not; diffs treat them as a set).</param>
/// <param name="Requests">Resource requests, e.g. memory → 128Mi.</param>
/// <param name="Limits">Resource limits.</param>
/// <param name="Command">Entrypoint override.</param>
/// <param name="Args">Arguments.</param>
/// <param name="ReadinessProbe">One-line description, e.g. "httpGet :8080/healthz period=10s", or null.</param>
/// <param name="LivenessProbe">One-line description or null.</param>
/// <param name="StartupProbe">One-line description or null.</param>
public sealed record ContainerSummary(
    string Name,
    string Image,
    ValueList<string> EnvNames,
    ValueList<ResourceQuantity> Requests,
    ValueList<ResourceQuantity> Limits,
    ValueList<string> Command,
    ValueList<string> Args,
    string? ReadinessProbe = null,
    string? LivenessProbe = null,
    string? StartupProbe = null)
{
    /// <summary>A container with only a name and an image, for callers that know nothing more.</summary>
    public static ContainerSummary Of(string name, string image) =>
        new(name, image, ValueList<string>.Empty, ValueList<ResourceQuantity>.Empty, ValueList<ResourceQuantity>.Empty,
            ValueList<string>.Empty, ValueList<string>.Empty);
}

/// <summary>One resource entry, e.g. (memory, 256Mi).</summary>
public sealed record ResourceQuantity(string Resource, string Quantity);
