using System.Security.Cryptography;
using System.Text;
using IncidentResponder.Core.Detection;

namespace IncidentResponder.Core.Incidents;

/// <summary>
/// The stable identity of a signal: target + type [+ revision]. Two observations of the same failure give the same
/// fingerprint, so they land on the same incident however often the shell reconciles.
/// </summary>
public static class Fingerprint
{
    /// <summary>The API's limit on Signal.Fingerprint.</summary>
    public const int MaxLength = 253;

    public static string For(SignalKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var text = $"deployment/{key.Target}/{key.Type}" + (key.Revision is { } revision ? $"/r{revision}" : string.Empty);
        if (text.Length <= MaxLength)
        {
            return text;
        }

        // Long names are cut and made unique again with a short hash of the whole, so the field stays valid.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        return text[..(MaxLength - hash.Length - 1)] + "-" + hash;
    }
}
