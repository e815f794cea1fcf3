using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Evidence;

/// <summary>
/// The fallback for secrets with neither a known shape nor an unmistakable name: a long, random-looking value next to
/// a key that hints at one (session, signature, cookie, key...). Random is measured as Shannon entropy per character,
/// so "cache_key=user-profile-page" stays readable while "session=q8Zr1vX0pL7mK2sT9wB4nC6d" is masked.
/// </summary>
internal static partial class SecretEntropy
{
    /// <summary>Bits per character above which a value reads as random (base64 of random bytes is near 6, prose near 3).</summary>
    public const double Threshold = 3.7;

    public const int MinLength = 20;

    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9])([a-z0-9_.-]*(?:key|auth|session|cookie|signature|sig|cert|nonce|salt|hmac|sas)[a-z0-9_.-]*[""']?\s*[:=]\s*[""']?)([A-Za-z0-9+/_=.-]{20,})", RegexOptions.CultureInvariant)]
    private static partial Regex HintedValue();

    public static string Apply(string text, string mask) =>
        HintedValue().Replace(text, m => LooksRandom(m.Groups[2].Value) ? m.Groups[1].Value + mask : m.Value);

    public static bool LooksRandom(string value) =>
        value.Length >= MinLength && value.Any(char.IsDigit) && value.Any(char.IsLetter) && BitsPerChar(value) >= Threshold;

    public static double BitsPerChar(string value)
    {
        var counts = new Dictionary<char, int>();
        foreach (var c in value)
        {
            counts[c] = counts.GetValueOrDefault(c) + 1;
        }

        return counts.Values.Sum(n => -(double)n / value.Length * Math.Log2((double)n / value.Length));
    }
}
