using KubeQuantity = k8s.Models.ResourceQuantity;

namespace IncidentResponder.Core.Quantities;

/// <summary>
/// A memory amount in bytes, read from and written as a Kubernetes quantity ("128Mi", "1.5Gi", "100M", "1e9").
/// Parsing and canonical formatting are KubernetesClient's <see cref="KubeQuantity"/> (the same rules as the API
/// server); this type only adds byte arithmetic and "write it back the way the author wrote it" (binary or decimal).
/// </summary>
/// <param name="Binary">The author used binary suffixes (Ki, Mi, Gi); a raised value is written the same way.</param>
public readonly record struct MemoryQuantity(long Bytes, bool Binary) : IComparable<MemoryQuantity>
{
    private const long Mebibyte = 1024 * 1024;
    private const long Megabyte = 1000 * 1000;

    public static MemoryQuantity Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a memory quantity such as 256Mi or 1Gi");

    /// <summary>Reads a quantity; fractional bytes are rounded up, as the API server does for memory.</summary>
    public static bool TryParse(string? text, out MemoryQuantity value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            var quantity = new KubeQuantity(text.Trim());
            var bytes = Math.Ceiling(quantity.ToDecimal());
            if (bytes < 0 || bytes > long.MaxValue)
            {
                return false;
            }

            value = new MemoryQuantity((long)bytes, quantity.Format == KubeQuantity.SuffixFormat.BinarySI);
            return true;
        }
        catch (Exception refused) when (refused is FormatException or OverflowException or ArgumentException)
        {
            // KubernetesClient's parser throws ArgumentException for an unknown suffix ("12Qi"): a refusal, like the others.
            return false;
        }
    }

    /// <summary>
    /// Multiplies and rounds UP to a whole MiB (binary) or MB (decimal), so the written limit reads like one a person
    /// would write ("192Mi", not "201326592"); never below the exact product.
    /// </summary>
    public MemoryQuantity Times(double factor)
    {
        var exact = (decimal)Bytes * (decimal)factor;
        var unit = Binary ? Mebibyte : Megabyte;
        var rounded = Math.Ceiling(exact / unit) * unit;
        return this with { Bytes = (long)Math.Min(rounded, long.MaxValue) };
    }

    public static MemoryQuantity Min(MemoryQuantity a, MemoryQuantity b) => a.Bytes <= b.Bytes ? a : b;

    /// <summary>The canonical Kubernetes form, e.g. 192Mi, 1536Mi, 150M.</summary>
    public override string ToString() =>
        new KubeQuantity(Bytes, 0, Binary ? KubeQuantity.SuffixFormat.BinarySI : KubeQuantity.SuffixFormat.DecimalSI).CanonicalizeString();

    public int CompareTo(MemoryQuantity other) => Bytes.CompareTo(other.Bytes);

    public static bool operator <(MemoryQuantity left, MemoryQuantity right) => left.Bytes < right.Bytes;

    public static bool operator >(MemoryQuantity left, MemoryQuantity right) => left.Bytes > right.Bytes;

    public static bool operator <=(MemoryQuantity left, MemoryQuantity right) => left.Bytes <= right.Bytes;

    public static bool operator >=(MemoryQuantity left, MemoryQuantity right) => left.Bytes >= right.Bytes;
}
