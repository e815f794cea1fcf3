using CsCheck;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Tests.Properties;

/// <summary>
/// The redactor runs on whatever a workload prints: it must answer for any text (total) and redacting its own output
/// must change nothing (idempotent), or records written twice (a retried status update, a post-mortem built from
/// redacted evidence) would drift. Text is built from fragments of secrets, keys, separators and quotes so the rules'
/// edges meet in every order.
/// </summary>
public sealed class RedactionPropertyTests
{
    private static readonly string[] Fragments =
    [
        "password", "token", "Authorization", "Bearer ", "Basic ", "sig", "AccountKey", "session", "--db-password", "key",
        "=", ":", ": ", " ", "\"", "'", ";", "&", "{", "}", "[", "]", ",", "\n", "-----BEGIN RSA PRIVATE KEY-----",
        "-----END RSA PRIVATE KEY-----", "ghp_", "github_pat_", "xoxb-", "xoxp-", "AIza", "sk_live_", "AKIA", "eyJ", ".",
        "https://hooks.slack.com/services/", "postgres://u:", "@db", SecretRedactor.Mask, "hunter2", "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm",
        "ABCDEFGHIJKLMNOP", "0123456789", "q8Zr1vX0pL7mK2sT9wB4", "\\",
    ];

    private static readonly Gen<string> Text =
        Gen.OneOf(Gen.Int[0, Fragments.Length - 1].Select(i => Fragments[i]), Gen.String[Gen.Char.AlphaNumeric, 0, 8]).Array[0, 24].Select(parts => string.Concat(parts));

    [Fact]
    public void Redaction_is_total_and_idempotent()
    {
        Text.Sample(text =>
        {
            var once = SecretRedactor.Redact(text);
            Assert.Equal(once, SecretRedactor.Redact(once));
        }, iter: 20_000);
    }

    [Fact]
    public void Redaction_is_total_on_arbitrary_unicode()
    {
        Gen.String.Sample(text =>
        {
            var once = SecretRedactor.Redact(text);
            Assert.Equal(once, SecretRedactor.Redact(once));
        }, iter: 5_000);
    }
}
