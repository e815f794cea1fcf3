using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Evidence;

/// <summary>
/// Masks values that look like secrets before log lines and event messages leave the cluster's own objects (into a
/// ConfigMap, the history store, a post-mortem). A few well-understood shapes, each kept narrow enough that ordinary
/// log text ("password reset mail sent", "bearer of bad news", "http://host:8080/path") passes untouched: a redactor
/// that masks everything hides the evidence it is meant to protect.
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    // A whole PEM private key block, or from its BEGIN line to the end of the text when the block was cut by a tail.
    [GeneratedRegex(@"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:.*?-----END \1PRIVATE KEY-----|.*)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex PrivateKeyBlock();

    // JSON Web Tokens: three base64url parts, the first two JSON objects ("eyJ" is base64 of '{"').
    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant)]
    private static partial Regex JsonWebToken();

    // An Authorization header with whatever scheme: everything after it on the line is the credential.
    [GeneratedRegex(@"(?i)\b(authorization\s*[:=]\s*)(?:(bearer|basic|digest|token|negotiate)\s+)?[^\s,;""']+", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    // A bearer token outside a header ("using Bearer abc..."); short words after "bearer" are prose, not tokens.
    [GeneratedRegex(@"(?i)\b(bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    // AWS access key ids: a fixed four-letter prefix and 16 upper-case alphanumerics.
    [GeneratedRegex(@"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    private static partial Regex AwsAccessKeyId();

    // Credentials in a URL: scheme://user:password@host (database DSNs, broker URLs).
    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();

    // key=value, key: value and "key": "value" where the key names a secret; covers ADO-style connection strings
    // (Password=...;), env dumps (DB_PASSWORD=...), query strings (?api_key=...) and JSON logs.
    [GeneratedRegex(
        @"(?i)\b([a-z0-9_.-]*(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|client[_-]?secret|token)[a-z0-9_.-]*)(""?\s*[:=]\s*""?)([^\s""',;&]+)",
        RegexOptions.CultureInvariant)]
    private static partial Regex SecretAssignment();

    /// <summary>The text with every secret-looking value replaced by <see cref="Mask"/>; null stays null.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = PrivateKeyBlock().Replace(text, m => $"-----BEGIN {m.Groups[1].Value}PRIVATE KEY----- {Mask}");
        result = JsonWebToken().Replace(result, Mask);
        result = AuthorizationHeader().Replace(result, m => m.Groups[1].Value + (m.Groups[2].Success ? m.Groups[2].Value + " " : string.Empty) + Mask);
        result = BearerToken().Replace(result, m => m.Groups[1].Value + Mask);
        result = AwsAccessKeyId().Replace(result, Mask);
        result = UrlCredentials().Replace(result, m => m.Groups[1].Value + Mask + m.Groups[3].Value);
        result = SecretAssignment().Replace(result, m => m.Groups[3].Value == Mask ? m.Value : m.Groups[1].Value + m.Groups[2].Value + Mask);
        return result;
    }

    /// <summary>Every line redacted; a private key block spanning lines is masked as a whole.</summary>
    public static IReadOnlyList<string> RedactLines(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Redact(string.Join('\n', lines)).Split('\n');
    }
}
