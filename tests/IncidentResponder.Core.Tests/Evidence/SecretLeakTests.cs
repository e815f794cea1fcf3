using IncidentResponder.Core.Evidence;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Triage;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Evidence;

/// <summary>
/// Secrets a workload prints or passes on its command line, in the shapes an earlier redactor let through, followed
/// into the records they reach: the Incident's status.change and the evidence bundle (logs and Events).
/// </summary>
public sealed class SecretLeakTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    // Made-up credentials in each provider's format, assembled so the repository holds no literal token.
    private static readonly string GitHubPat = "ghp" + "_" + "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVc";
    private static readonly string GitHubFineGrained = "github" + "_pat_" + "11ABCDEFG0aBcDeFgHiJkLm_" + new string('q', 30) + "Z9y8X7w6V5u4T3s2R1p0o9N8m7L6k5J4i3H2g1F0e9D8";
    private static readonly string SlackBot = "xoxb" + "-1234567890123-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
    private static readonly string SlackUser = "xoxp" + "-1234567890123-1234567890123-1234567890123-0123456789abcdef0123456789abcdef";
    private static readonly string SlackHookPath = "T00000000/B00000000/" + "XXXXXXXXXXXXXXXXXXXXXXXX";
    private static readonly string GoogleKey = "AIza" + "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY";
    private static readonly string StripeKey = "sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc";
    private static readonly string AzureKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly string SasSignature = "VLgZ9dHf3Qp%2BkRa8sT2uW4xY6zA1bC3dE5fG7hI9jK0%3D";
    private static readonly string AwsKey = "AKIA" + "Z3MSJV4WWNKWW5FA";
    private static readonly string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiJ0ZW5hbnQtYSIsImV4cCI6MTcwMDAwMDAwMH0" + ".c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA";

    /// <summary>A line (or argument) carrying a secret, and the secret that must not survive.</summary>
    public static TheoryData<string, string> Leaks() => new()
    {
        { "config loaded {'password': 'tr0ub4dor&3'}", "tr0ub4dor&3" },
        { "{\"user\":\"svc\",\"Authorization\":\"Basic c3ZjOmh1bnRlcjI=\"}", "c3ZjOmh1bnRlcjI=" },
        { "db_password: \"correct horse battery\"", "correct horse battery" },
        { $"git clone with {GitHubPat} failed", GitHubPat },
        { $"GH_TOKEN={GitHubFineGrained}", GitHubFineGrained },
        { $"slack client token {SlackBot}", SlackBot },
        { $"slack user {SlackUser} rate limited", SlackUser },
        { $"POST https://hooks.slack.com/services/{SlackHookPath} 404", SlackHookPath },
        { $"maps api call key {GoogleKey} denied", GoogleKey },
        { $"charging with {StripeKey}", StripeKey },
        { $"DefaultEndpointsProtocol=https;AccountName=shop;AccountKey={AzureKey};EndpointSuffix=core.windows.net", AzureKey },
        { $"GET https://shop.blob.core.windows.net/c/b?sv=2022-11-02&sr=b&sig={SasSignature}&se=2026-12-01 403", SasSignature },
        { $"s3 upload as {AwsKey}", AwsKey },
        { $"token rejected: {Jwt}", Jwt },
        { "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ -----END OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ" },
        { "session_cookie=q8Zr1vX0pL7mK2sT9wB4nC6dY3hJ5", "q8Zr1vX0pL7mK2sT9wB4nC6dY3hJ5" },
    };

    [Theory]
    [MemberData(nameof(Leaks))]
    public void Each_shape_is_masked_by_the_redactor(string line, string secret)
    {
        var redacted = SecretRedactor.Redact(line);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Leaks))]
    public void Each_shape_in_a_log_line_and_an_event_message_stays_out_of_the_evidence(string line, string secret)
    {
        var bundle = EvidenceBuilder.Build(new EvidenceInput("web-crashloop-r2", "shop", "web", Now, null,
            [new RawLog("web-1", "app", true, ["starting", line, "FATAL exiting"])],
            [new EventSummary(Now, Now, "Warning", "Failed", "Pod", "web-1", 1, line)], [], null));

        Assert.DoesNotContain(secret, EvidenceJson.Serialize(bundle), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, EvidenceMarkdown.Render(bundle), StringComparison.Ordinal);
        Assert.Contains("FATAL exiting", Assert.Single(bundle.Logs).Lines);
    }

    [Theory]
    [MemberData(nameof(Leaks))]
    public void Each_shape_in_a_container_argument_stays_out_of_the_incident_change(string line, string secret)
    {
        var good = ReplicaSet(1, Now, template: Template(["--port=8080"], ["/bin/app"]));
        var failing = ReplicaSet(2, Now, template: Template(["--port=8080", line], ["/bin/app", "--db-password=hunter2"]));

        var change = ChangeSummary.Build(failing, good);

        var text = string.Join('\n', change.Differences!);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Contains("container app: command [/bin/app] → [/bin/app --db-password=[REDACTED]]", change.Differences!);
    }

    [Theory]
    [InlineData("args [--db-password hunter2 --port 80]", "hunter2")]
    [InlineData("args [--db-password=hunter2]", "hunter2")]
    [InlineData("readiness probe exec [sh -c PGPASSWORD=hunter2 pg_isready]", "hunter2")]
    public void Flags_and_probe_commands_lose_their_secret_values_but_keep_their_names(string line, string secret)
    {
        var redacted = SecretRedactor.Redact(line);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains("PASSWORD", redacted, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("cache_key=user-profile-page-for-account")]
    [InlineData("image sha256=4b825dc642cb6eb9a060e54bf8d69288fbee4904 pulled")]
    [InlineData("GET https://hooks.example.com/services/status 200")]
    [InlineData("sk_ is a prefix; risk_live_dangerously is prose")]
    public void Ordinary_values_near_suggestive_words_are_left_alone(string line) => Assert.Equal(line, SecretRedactor.Redact(line));

    private static PodTemplateSummary Template(string[] args, string[] command) => new(ValueList.Of(new ContainerSummary("app", "web:1",
        ValueList.Of(["DB_URL"]), ValueList<ResourceQuantity>.Empty, ValueList<ResourceQuantity>.Empty, ValueList.Of(command), ValueList.Of(args), null)));
}
