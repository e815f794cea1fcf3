using System.Text.RegularExpressions;

namespace IncidentResponder.Operator.GitOps.WriteBack;

/// <summary>
/// Turns git's exit and stderr into a failure kind and a message a person can act on, with every credential and any
/// <c>user:password@</c> in a URL removed first.
/// </summary>
internal static partial class GitFailures
{
    /// <summary>Whether a push was refused because the branch has commits the push does not (someone pushed first).</summary>
    public static bool IsNonFastForward(string stderr) =>
        stderr.Contains("non-fast-forward", StringComparison.Ordinal) || stderr.Contains("(fetch first)", StringComparison.Ordinal)
        || stderr.Contains("cannot lock ref", StringComparison.Ordinal);

    public static WriteBackResult.Failed Classify(string doing, string url, GitOutput output, GitCredentials credentials)
    {
        var stderr = Scrub(output.Stderr, credentials);
        var detail = LastLines(stderr);
        var where = Scrub(url, credentials);
        if (Has(stderr, "Permission denied", "Authentication failed", "could not read Username", "could not read Password",
                "terminal prompts disabled", "returned error: 401", "returned error: 403", "Invalid username or password"))
        {
            return new(WriteBackFailure.AuthenticationFailed,
                $"{doing} {where}: the server refused the credentials ({detail}); check the Secret's identity (or username/password) and that the key or token may write to the repository");
        }

        if (Has(stderr, "Host key verification failed", "REMOTE HOST IDENTIFICATION HAS CHANGED", "No ED25519 host key is known", "host key is known"))
        {
            return new(WriteBackFailure.AuthenticationFailed,
                $"{doing} {where}: the server's host key is not the one in known_hosts ({detail}); put the server's current key in the Secret's known_hosts (ssh-keyscan <host>) after checking it");
        }

        if (Has(stderr, "[remote rejected]", "pre-receive hook declined", "protected branch", "[rejected]"))
        {
            return new(WriteBackFailure.PushRejected,
                $"{doing} {where}: the server rejected the push ({detail}); allow the operator to push there, or use mode Branch or PullRequest");
        }

        if (Has(stderr, "not our ref", "upload-pack: not our ref"))
        {
            return new(WriteBackFailure.Other, $"{doing} {where}: the server does not serve that commit by its sha ({detail}); ask about the branch that holds it instead");
        }

        if (Has(stderr, "Remote branch", "couldn't find remote ref", "not found in upstream"))
        {
            return new(WriteBackFailure.Other, $"{doing} {where}: the branch does not exist ({detail}); check the owner's targetRevision");
        }

        if (Has(stderr, "Could not resolve host", "Connection refused", "Connection timed out", "No route to host", "does not appear to be a git repository",
                "Could not read from remote repository", "unable to access", "Repository not found", "Network is unreachable", "Connection closed"))
        {
            return new(WriteBackFailure.Unreachable,
                $"{doing} {where}: the repository could not be reached ({detail}); check the URL, DNS and that network policy lets the operator reach the git server");
        }

        return new(WriteBackFailure.Other, $"{doing} {where}: git exited {output.ExitCode} ({detail})");
    }

    /// <summary>The text with each secret and each URL's user information replaced.</summary>
    public static string Scrub(string text, GitCredentials credentials)
    {
        foreach (var secret in credentials.Secrets())
        {
            text = text.Replace(secret.Trim(), "***", StringComparison.Ordinal);
        }

        return UserInfo().Replace(text, "$1***@");
    }

    private static bool Has(string text, params string[] markers) => markers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));

    // git's last words are the reason; the progress lines before them are not.
    private static string LastLines(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("hint:", StringComparison.Ordinal) && !l.StartsWith("Cloning into", StringComparison.Ordinal)).ToList();
        return lines.Count == 0 ? "no message" : string.Join("; ", lines.TakeLast(2));
    }

    [GeneratedRegex(@"(\w+://)[^/@\s]+@")]
    private static partial Regex UserInfo();
}
