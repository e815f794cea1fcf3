using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;

namespace IncidentResponder.Simulator.Controllers;

/// <summary>
/// The <c>pod-template-hash</c> that names a Deployment's ReplicaSets, computed the way Kubernetes'
/// <c>controller.ComputeHash</c> does: FNV-1a 32-bit over the template, then the collision count as 8 little-endian
/// bytes, then the decimal digits of the sum encoded with <c>rand.SafeEncodeString</c>.
/// One documented difference: Kubernetes feeds FNV the Go <c>spew</c> dump of the struct, which only Go can
/// reproduce; this feeds it the template's canonical JSON (KubernetesClient serializes properties in a fixed order).
/// So names have the real shape (digits mapped into the safe alphabet, 8-10 chars) and are stable per template, but do
/// not equal the names a real cluster would give the same template.
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    /// <summary>The alphabet of <c>k8s.io/apimachinery/pkg/util/rand</c>: no vowels (no words) and no confusable 0/1/3.</summary>
    public const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Compute(V1PodTemplateSpec template, int? collisionCount)
    {
        var hash = Fnv1a32(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(template)), 2166136261u);
        if (collisionCount is { } count)
        {
            var bytes = new byte[8];
            BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), (uint)count);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes, 0, 4);
            }

            hash = Fnv1a32(bytes, hash);
        }

        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Maps each byte onto the safe alphabet, as <c>rand.SafeEncodeString</c> does.</summary>
    public static string SafeEncode(string value)
    {
        var encoded = new char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            encoded[i] = SafeAlphabet[value[i] % SafeAlphabet.Length];
        }

        return new string(encoded);
    }

    public static uint Fnv1a32(ReadOnlySpan<byte> data, uint seed)
    {
        var hash = seed;
        foreach (var b in data)
        {
            hash ^= b;
            hash *= 16777619u;
        }

        return hash;
    }
}
