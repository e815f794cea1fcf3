using System.Security.Cryptography;
using System.Text;

namespace IncidentResponder.Core.Alerts;

/// <summary>
/// A stable identity for an alert that arrived without Alertmanager's fingerprint (Alertmanager before 0.19 did not
/// send one): a hash of its sorted label set, which is what Alertmanager's own fingerprint identifies too.
/// </summary>
public static class AlertFingerprint
{
    public static string FromLabels(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var text = new StringBuilder();
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            // Length prefixes make the encoding unambiguous whatever the names and values contain.
            text.Append(name.Length).Append(':').Append(name).Append(value.Length).Append(':').Append(value);
        }

        return "labels-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
