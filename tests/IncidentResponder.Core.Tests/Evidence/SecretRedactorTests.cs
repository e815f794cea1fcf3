using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Tests.Evidence;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("GET /api Authorization: Bearer abcdefghijklmnop0123456789", "abcdefghijklmnop0123456789")]
    [InlineData("authorization=Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy")]
    [InlineData("calling upstream with bearer 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData("login ok password=hunter2 user=bob", "hunter2")]
    [InlineData("DB_PASSWORD: s3cr3t-value", "s3cr3t-value")]
    [InlineData("{\"user\":\"bob\",\"password\":\"hunter2\"}", "hunter2")]
    [InlineData("GET /v1/items?api_key=AbCdEf123456&page=2", "AbCdEf123456")]
    [InlineData("x-api-key: 0123456789abcdef", "0123456789abcdef")]
    [InlineData("using aws key AKIAIOSFODNN7EXAMPLE for s3", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U rejected", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    [InlineData("failed to connect to postgres://orders:0rd3rs-s3cret@postgres:5432/orders", "0rd3rs-s3cret")]
    [InlineData("Server=db;Database=shop;User Id=app;Password=Pa55word!;", "Pa55word!")]
    [InlineData("amqp://guest:guestpass@rabbit:5672/", "guestpass")]
    [InlineData("client_secret=abc123def456", "abc123def456")]
    public void Secret_looking_values_are_masked(string line, string secret)
    {
        var redacted = SecretRedactor.Redact(line);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.000Z INFO password reset mail sent to user 42")]
    [InlineData("he was the bearer of bad news")]
    [InlineData("basic authentication is disabled")]
    [InlineData("GET http://api.internal:8080/orders/17 200 12ms")]
    [InlineData("postgres://orders@postgres:5432/orders (no password in the DSN)")]
    [InlineData("failed to connect to database postgres:5432: dial tcp 10.96.0.20:5432: connect: connection refused")]
    [InlineData("tokenizer finished in 12ms")]
    [InlineData("heap usage at 91% of 128Mi, cache entries=1843291")]
    [InlineData("AKIA is a prefix, AKIA123 is too short to be a key")]
    public void Ordinary_log_text_is_left_alone(string line) => Assert.Equal(line, SecretRedactor.Redact(line));

    [Fact]
    public void A_private_key_block_is_masked_whole_even_across_lines()
    {
        string[] lines =
        [
            "loading key",
            "-----BEGIN RSA PRIVATE KEY-----",
            "MIIEowIBAAKCAQEAx8s2Jv0kSECRETBODYLINE1",
            "Zm9vYmFyYmF6SECRETBODYLINE2",
            "-----END RSA PRIVATE KEY-----",
            "key loaded",
        ];

        var redacted = string.Join('\n', SecretRedactor.RedactLines(lines));

        Assert.DoesNotContain("SECRETBODYLINE", redacted, StringComparison.Ordinal);
        Assert.Contains("loading key", redacted, StringComparison.Ordinal);
        Assert.Contains("key loaded", redacted, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN RSA PRIVATE KEY----- [REDACTED]", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_block_cut_by_the_tail_is_masked_to_the_end() =>
        Assert.DoesNotContain("SECRETBODY", SecretRedactor.Redact("-----BEGIN PRIVATE KEY-----\nMIIESECRETBODY"), StringComparison.Ordinal);
}
