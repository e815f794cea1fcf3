namespace IncidentResponder.Core.Egress;

/// <summary>
/// Whether a Secret may be sent to a URL that a Runbook or policy names. The author of a Runbook is not always allowed
/// to read the namespace's Secrets; without consent, naming a Secret and a URL of one's choosing would hand the
/// Secret's value to that URL. So a Secret is sent only where the Secret itself says it may go: its annotation lists
/// URL prefixes, written by whoever may edit the Secret.
/// </summary>
public static class SecretConsent
{
    /// <summary>URL prefixes the Secret may be sent to, separated by commas or whitespace, e.g. <c>https://flags.example.com/api/</c>.</summary>
    public const string Annotation = "incidentresponder.dev/send-to";

    /// <summary>Null when the Secret consents to <paramref name="destination"/>; otherwise what a person must do, naming no value of the Secret.</summary>
    public static string? Refusal(string ns, string secretName, IReadOnlyDictionary<string, string>? annotations, Uri destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        string? list = null;
        var annotated = annotations?.TryGetValue(Annotation, out list) == true;
        var allowed = list is null ? [] : Prefixes(list);
        if (allowed.Any(prefix => Covers(prefix, destination)))
        {
            return null;
        }

        var origin = destination.GetLeftPart(UriPartial.Authority) + "/";
        return !annotated
            ? $"Secret {ns}/{secretName} is not sent to {origin}: it does not say where it may be sent; whoever may edit it adds the annotation {Annotation}={origin}"
            : $"Secret {ns}/{secretName} is not sent to {origin}: its annotation {Annotation} does not list that URL";
    }

    private static List<Uri> Prefixes(string list) =>
        [.. list.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => Uri.TryCreate(p, UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>()
            .Where(u => u.Scheme is "http" or "https")];

    // Same scheme, host and port, and the path at or below the prefix's, at a segment boundary: a prefix of
    // https://flags.example.com/api does not cover https://flags.example.com/api-admin or https://flags.example.com.evil.
    private static bool Covers(Uri prefix, Uri destination)
    {
        if (!string.Equals(prefix.Scheme, destination.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(prefix.IdnHost, destination.IdnHost, StringComparison.OrdinalIgnoreCase)
            || prefix.Port != destination.Port)
        {
            return false;
        }

        var path = prefix.AbsolutePath.TrimEnd('/');
        var target = destination.AbsolutePath;
        return path.Length == 0 || target == path || target.StartsWith(path + "/", StringComparison.Ordinal);
    }
}
