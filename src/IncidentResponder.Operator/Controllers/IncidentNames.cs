using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;

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

    /// <summary>The name to try after <paramref name="attempt"/> clashes: the plain name first, then -2, -3... within 63 characters.</summary>
    public static string WithSuffix(string name, int attempt)
    {
        if (attempt == 0)
        {
            return name;
        }

        var suffix = "-" + (attempt + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var head = name.Length + suffix.Length > MaxLength ? name[..(MaxLength - suffix.Length)].TrimEnd('-') : name;
        return head + suffix;
    }

    /// <summary>
    /// Whether an Incident found under the name this operator wanted is its own to adopt: created by an operator (the
    /// managed-by label), for the same signal (fingerprint) on the same target. Anyone who may create Incidents could
    /// pre-create one under a predictable name; adopting it would let them point remediation at another target.
    /// </summary>
    /// <param name="targetKind">The target's kind; an incident that names none is about a Deployment (the API's default).</param>
    public static bool MayAdopt(Incident existing, string? fingerprint, string targetName, string targetKind = "Deployment")
    {
        ArgumentNullException.ThrowIfNull(existing);
        return existing.Metadata?.Labels is { } labels
            && labels.TryGetValue(WellKnown.ManagedByLabel, out var managedBy) && managedBy == WellKnown.ManagedByValue
            && existing.Spec?.Signal?.Fingerprint is { } existingFingerprint && existingFingerprint == fingerprint
            && existing.Spec.TargetRef is { Name: var name, Kind: var kind } && name == targetName && (kind ?? "Deployment") == targetKind;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Invalid();
}
