namespace IncidentResponder.Core.Evidence;

/// <summary>
/// Masks values that look like secrets before workload text (log lines, Event messages, container args in a diff)
/// is stored in the operator's own records: an Incident's status and timeline, a ConfigMap, the history store, a
/// post-mortem. Three rule sets, most specific first: provider tokens by shape (<see cref="ProviderTokenRules"/>),
/// values by the name they are given (<see cref="SecretAssignmentRules"/>), and random-looking values next to a
/// suggestive name (<see cref="SecretEntropy"/>). Each is kept narrow enough that ordinary log text ("password
/// reset mail sent", "bearer of bad news", "http://host:8080/path") passes untouched: a redactor that masks
/// everything hides the evidence it is meant to protect.
/// </summary>
public static class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    // Masking can bring a key next to a separator it was not next to before; a few passes reach the fixed point, so
    // redacting twice is redacting once.
    private const int MaxPasses = 4;

    /// <summary>The text with every secret-looking value replaced by <see cref="Mask"/>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = text;
        for (var pass = 0; pass < MaxPasses; pass++)
        {
            var next = SecretEntropy.Apply(SecretAssignmentRules.Apply(ProviderTokenRules.Apply(result, Mask), Mask), Mask);
            if (next == result)
            {
                break;
            }

            result = next;
        }

        return result;
    }

    /// <summary>Every line redacted; a private key block spanning lines is masked as a whole.</summary>
    public static IReadOnlyList<string> RedactLines(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Redact(string.Join('\n', lines)).Split('\n');
    }
}
