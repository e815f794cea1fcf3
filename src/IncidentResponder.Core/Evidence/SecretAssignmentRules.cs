using System.Text.RegularExpressions;

namespace IncidentResponder.Core.Evidence;

/// <summary>
/// Secrets known by the name they are given rather than their shape: key=value, key: value, "key": "value",
/// {'key': 'value'}, command-line flags (--db-password=x, --db-password x), connection strings (Password=..;
/// AccountKey=..;), query strings (?sig=..&amp;api_key=..), Authorization headers and credentials in URLs.
/// </summary>
internal static partial class SecretAssignmentRules
{
    // The key names that mean "the value is a secret". "token" alone is a key, "tokenizer" is not (it needs a separator).
    private const string SecretKey =
        @"[a-z0-9_.-]*(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|account[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|client[_-]?secret|token|credentials?|passphrase)[a-z0-9_.-]*";

    // Key, optional closing quote of a quoted key, the separator, then the value. The mask is matched first so a
    // second pass leaves "[REDACTED]" as it is.
    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9])(" + SecretKey + @"|sig)([""']?\s*[:=]\s*)(?:([""'])((?:\\.|(?!\3)[^\\])*)\3|(\[REDACTED\]|[^\s""',;&}\]]+))", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    // A flag whose value follows after a space: --db-password hunter2.
    [GeneratedRegex(@"(?i)(?<![A-Za-z0-9])(--?" + SecretKey + @"\s+)(?!-)(\[REDACTED\]|[^\s\]""']+)", RegexOptions.CultureInvariant)]
    private static partial Regex FlagWithSpace();

    // An Authorization header, quoted or not, with whatever scheme: the rest of the value is the credential.
    [GeneratedRegex(@"(?i)\b(authorization[""']?\s*[:=]\s*[""']?)(?:(bearer|basic|digest|token|negotiate)\s+)?(\[REDACTED\]|[^\s,;""']+)", RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationHeader();

    // A bearer token outside a header ("using Bearer abc..."); short words after "bearer" are prose, not tokens.
    [GeneratedRegex(@"(?i)\b(bearer\s+)[A-Za-z0-9\-._~+/]{16,}=*", RegexOptions.CultureInvariant)]
    private static partial Regex BearerToken();

    // Credentials in a URL: scheme://user:password@host (database DSNs, broker URLs).
    [GeneratedRegex(@"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:)([^@\s/]+)(@)", RegexOptions.CultureInvariant)]
    private static partial Regex UrlCredentials();

    public static string Apply(string text, string mask)
    {
        var result = AuthorizationHeader().Replace(text, m =>
            m.Groups[1].Value + (m.Groups[2].Success ? m.Groups[2].Value + " " : string.Empty) + mask);
        result = BearerToken().Replace(result, m => m.Groups[1].Value + mask);
        result = UrlCredentials().Replace(result, m => m.Groups[1].Value + mask + m.Groups[3].Value);
        result = FlagWithSpace().Replace(result, m => m.Groups[1].Value + mask);
        return Assignment().Replace(result, m => m.Groups[3].Success
            ? (m.Groups[4].Length == 0 ? m.Value : m.Groups[1].Value + m.Groups[2].Value + m.Groups[3].Value + mask + m.Groups[3].Value)
            : m.Groups[1].Value + m.Groups[2].Value + mask);
    }
}
