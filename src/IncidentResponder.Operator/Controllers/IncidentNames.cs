using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentResponder.Operator.Controllers;

/// <summary>
/// An Incident's name is a function of its signal's fingerprint, so a restarted operator that detects the same failure
/// again creates the same name, gets AlreadyExists and adopts it, instead of opening a duplicate.
/// </summary>
public static partial class IncidentNames
{
    /// <summary>Short enough to be used as a label value too.</summary>
    public const int MaxLength = 63;

    public static string For(string fingerprint)
    {
        // "deployment/web/CrashLoop/r2" → "web-crashloop-r2"
        var readable = fingerprint.StartsWith("deployment/", StringComparison.Ordinal) ? fingerprint["deployment/".Length..] : fingerprint;
        var name = Invalid().Replace(readable.ToLowerInvariant(), "-").Trim('-');
        if (name.Length <= MaxLength && name.Length > 0)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)))[..10];
        var head = name.Length > MaxLength - 11 ? name[..(MaxLength - 11)].TrimEnd('-') : name;
        return head.Length == 0 ? "incident-" + hash : $"{head}-{hash}";
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Invalid();
}
