using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Alerts;

/// <summary>
/// An alert incident's name is a function of the alert group and its target, so every re-delivery of the group (and a
/// restarted operator) finds the same Incident instead of opening another. The readable part is only for people.
/// </summary>
public static partial class AlertIncidentNames
{
    /// <summary>Short enough to be a label value too (the incident label carries the name).</summary>
    public const int MaxLength = 63;

    private const string Prefix = "alert-";
    private const int HashLength = 10;

    public static string For(string groupKey, string ns, string deployment)
    {
        ArgumentNullException.ThrowIfNull(groupKey);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{groupKey}\n{ns}/{deployment}")))[..HashLength];
        var readable = Invalid().Replace(deployment.ToLowerInvariant(), "-").Trim('-');
        var room = MaxLength - Prefix.Length - HashLength - 1;
        if (readable.Length > room)
        {
            readable = readable[..room].TrimEnd('-');
        }

        return readable.Length == 0 ? Prefix + hash : $"{Prefix}{readable}-{hash}";
    }

    /// <summary>What every alert's signal fingerprint starts with, and no detector's does.</summary>
    public const string SignalPrefix = "alert/";

    /// <summary>The incident's signal fingerprint for an alert: its own namespace, apart from the detector's.</summary>
    public static string SignalFingerprint(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return SignalPrefix + alert.Fingerprint;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Invalid();
}
