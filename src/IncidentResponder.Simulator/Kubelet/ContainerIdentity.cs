using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IncidentResponder.Simulator.Controllers;

namespace IncidentResponder.Simulator.Kubelet;

/// <summary>The identifiers a containerd-based kubelet reports: normalized image names, image and container IDs, pod IPs.</summary>
public static class ContainerIdentity
{
    /// <summary>
    /// The fully qualified reference containerd reports in <c>status.containerStatuses[].image</c>:
    /// <c>nginx</c> becomes <c>docker.io/library/nginx:latest</c>.
    /// </summary>
    public static string NormalizeImage(string image)
    {
        var reference = image;
        var firstSlash = reference.IndexOf('/', StringComparison.Ordinal);
        var hasRegistry = firstSlash > 0 && (reference[..firstSlash].Contains('.', StringComparison.Ordinal)
            || reference[..firstSlash].Contains(':', StringComparison.Ordinal) || reference[..firstSlash] == "localhost");
        if (!hasRegistry)
        {
            reference = (firstSlash < 0 ? "docker.io/library/" : "docker.io/") + reference;
        }

        var lastSlash = reference.LastIndexOf('/');
        var hasTagOrDigest = reference.Contains('@', StringComparison.Ordinal) || reference.IndexOf(':', lastSlash + 1) > 0;
        return hasTagOrDigest ? reference : reference + ":latest";
    }

    /// <summary><c>repository@sha256:…</c>, stable per image reference.</summary>
    public static string ImageId(string image)
    {
        var normalized = NormalizeImage(image);
        var repository = normalized.Contains('@', StringComparison.Ordinal)
            ? normalized[..normalized.IndexOf('@', StringComparison.Ordinal)]
            : normalized[..normalized.LastIndexOf(':')];
        return $"{repository}@sha256:{Sha256Hex(normalized)}";
    }

    /// <summary>A distinct 64-hex containerd ID per pod, container and instance.</summary>
    public static string ContainerId(string podUid, string container, int instance) =>
        $"containerd://{Sha256Hex($"{podUid}/{container}/{instance.ToString(CultureInfo.InvariantCulture)}")}";

    /// <summary>A pod IP inside the node's podCIDR, derived from the pod UID (so it survives a simulator restart).</summary>
    public static string PodIp(string? podCidr, string podUid)
    {
        var prefix = podCidr is { Length: > 0 } cidr && cidr.Split('/')[0].Split('.') is { Length: 4 } octets
            ? $"{octets[0]}.{octets[1]}.{octets[2]}."
            : "10.244.0.";
        var host = 2 + (PodTemplateHash.Fnv1a32(Encoding.UTF8.GetBytes(podUid), 2166136261u) % 250);
        return prefix + host.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A plausible image size in bytes for the Pulled event, stable per image.</summary>
    public static long ImageSize(string image) =>
        20_000_000 + (PodTemplateHash.Fnv1a32(Encoding.UTF8.GetBytes(image), 2166136261u) % 180_000_000);

    private static string Sha256Hex(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
