using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Evidence;

/// <summary>
/// Credentials recognisable by their shape alone, whatever surrounds them. The shapes follow the rules of the same id
/// in gitleaks' default configuration (a maintained catalogue of provider token formats), written here anew and kept a
/// little looser at the tail so a token cut by a log line's length is still caught.
/// </summary>
internal static partial class ProviderTokenRules
{
    // gitleaks: private-key. A whole PEM/PGP private key block; a block cut by a tail is masked to the end of the text.
    [GeneratedRegex(@"-----BEGIN ([A-Z0-9 _-]{0,40}?)PRIVATE KEY((?: BLOCK)?)-----(?:.*?-----END \1PRIVATE KEY\2-----|.*)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKey();

    // gitleaks: jwt. Header and payload are base64url JSON objects, so both start "ey".
    [GeneratedRegex(@"\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JsonWebToken();

    // gitleaks: github-pat, github-oauth, github-app-token, github-refresh-token (ghp_, gho_, ghu_, ghs_, ghr_).
    [GeneratedRegex(@"\bgh[pousr]_[0-9A-Za-z]{30,}", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubToken();

    // gitleaks: github-fine-grained-pat.
    [GeneratedRegex(@"\bgithub_pat_[0-9A-Za-z_]{22,}", RegexOptions.CultureInvariant)]
    private static partial Regex GitHubFineGrainedToken();

    // gitleaks: slack-bot-token, slack-user-token, slack-app-token, slack-legacy-token (xoxb-, xoxp-, xoxa-, xoxe-...).
    [GeneratedRegex(@"\bxox[abeoprs]-[0-9A-Za-z-]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackToken();

    // gitleaks: slack-webhook-url. The path after the host is the credential; the host stays so the reader knows what leaked.
    [GeneratedRegex(@"(?i)(hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9+/_-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex SlackWebhook();

    // gitleaks: gcp-api-key.
    [GeneratedRegex(@"\bAIza[0-9A-Za-z_-]{35}", RegexOptions.CultureInvariant)]
    private static partial Regex GoogleApiKey();

    // gitleaks: stripe-access-token (secret and restricted keys, live and test).
    [GeneratedRegex(@"\b(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,}", RegexOptions.CultureInvariant)]
    private static partial Regex StripeKey();

    // gitleaks: aws-access-token. A four-letter prefix naming the kind of key and 16 upper-case alphanumerics.
    [GeneratedRegex(@"\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    public static string Apply(string text, string mask)
    {
        var result = PrivateKey().Replace(text, m => m.Value.Contains("-----END ", StringComparison.Ordinal)
            ? $"-----BEGIN {m.Groups[1].Value}PRIVATE KEY{m.Groups[2].Value}----- {mask} -----END {m.Groups[1].Value}PRIVATE KEY{m.Groups[2].Value}-----"
            : $"-----BEGIN {m.Groups[1].Value}PRIVATE KEY{m.Groups[2].Value}----- {mask}");
        result = JsonWebToken().Replace(result, mask);
        result = GitHubFineGrainedToken().Replace(result, mask);
        result = GitHubToken().Replace(result, mask);
        result = SlackWebhook().Replace(result, m => m.Groups[1].Value + mask);
        result = SlackToken().Replace(result, mask);
        result = GoogleApiKey().Replace(result, mask);
        result = StripeKey().Replace(result, mask);
        return AwsAccessKeyId().Replace(result, mask);
    }
}
