using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>
/// Faults that follow an image, so a commit that only changes an image can break pods as in life: the ConfigMap
/// <c>sim-faults</c> in the pod's namespace maps images to faults (<c>crashloop</c>, <c>oom</c>, <c>imagepull</c>,
/// <c>unready</c>, and <c>errors</c> / <c>slow</c> with their default ratio and latency). Each entry is either <c>&lt;image&gt;: &lt;fault&gt;</c> (e.g. <c>nginx:1.26: crashloop</c>; the
/// simulator accepts such keys although a real API server only allows <c>[-._a-zA-Z0-9]</c> in ConfigMap keys) or,
/// valid everywhere, <c>&lt;any key&gt;: &lt;image&gt;=&lt;fault&gt;</c> (e.g. <c>bad-web: "nginx:1.26=crashloop"</c>).
/// An image matches when any container of the pod runs exactly that reference. The pod's
/// <c>sim.incidentresponder.dev/fault</c> annotation, when present, wins.
/// </summary>
public static class ImageFaults
{
    public const string ConfigMapName = "sim-faults";

    /// <summary>The fault the <c>sim-faults</c> ConfigMap of the pod's namespace gives one of its images, or null.</summary>
    public static FaultSpec? ForPod(IClusterStore store, V1Pod pod) =>
        store.Get(BuiltinResources.ConfigMaps, pod.Metadata.NamespaceProperty, ConfigMapName)?["data"] is JsonObject data ? Find(data, pod) : null;

    public static FaultSpec? Find(JsonObject data, V1Pod pod)
    {
        var images = (pod.Spec?.Containers ?? []).Select(c => c.Image).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, node) in data)
        {
            var value = node is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : string.Empty;
            var separator = value.LastIndexOf('=');
            var (image, fault) = separator > 0 ? (value[..separator].Trim(), value[(separator + 1)..]) : (key, value);
            if (images.Contains(image) && FaultSpec.Parse(fault) is { Kind: not FaultKind.None } spec)
            {
                return spec;
            }
        }

        return null;
    }
}
