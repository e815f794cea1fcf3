using System.Text;
using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>Slack's request signing, checked against the worked example of Slack's "Verifying requests" guide.</summary>
public sealed class SlackSignatureTests
{
    // Slack's documented example: this secret, timestamp and slash-command body give this signature.
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string Timestamp = "1531420618";
    private const string Signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(
        "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
        + "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands"
        + "%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c");

    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);

    [Fact]
    public void Slacks_documented_example_is_valid_when_received_at_once()
    {
        Assert.Equal(SlackSignatureVerdict.Valid, SlackSignature.Verify(Secret, Timestamp, Body, Signature, SignedAt.AddSeconds(2)));
    }

    [Fact]
    public void Signing_gives_the_signature_slack_documents()
    {
        Assert.Equal(Signature, SlackSignature.Sign(Secret, Timestamp, Body));
    }

    [Fact]
    public void A_request_signed_with_another_secret_is_a_mismatch()
    {
        var forged = SlackSignature.Sign("not-the-signing-secret", Timestamp, Body);
        Assert.Equal(SlackSignatureVerdict.Mismatch, SlackSignature.Verify(Secret, Timestamp, Body, forged, SignedAt));
    }

    [Fact]
    public void A_changed_body_or_timestamp_is_a_mismatch()
    {
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("roadrunner", "coyote", StringComparison.Ordinal));
        Assert.Equal(SlackSignatureVerdict.Mismatch, SlackSignature.Verify(Secret, Timestamp, changed, Signature, SignedAt));
        Assert.Equal(SlackSignatureVerdict.Mismatch, SlackSignature.Verify(Secret, "1531420619", Body, Signature, SignedAt));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(-86400)]
    [InlineData(301)]
    [InlineData(3600)]
    public void A_timestamp_more_than_five_minutes_away_either_way_is_stale_even_when_correctly_signed(int secondsFromNow)
    {
        var now = SignedAt.AddSeconds(-secondsFromNow);
        Assert.Equal(SlackSignatureVerdict.Stale, SlackSignature.Verify(Secret, Timestamp, Body, Signature, now));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Exactly_five_minutes_away_is_still_fresh(int secondsFromNow)
    {
        Assert.Equal(SlackSignatureVerdict.Valid, SlackSignature.Verify(Secret, Timestamp, Body, Signature, SignedAt.AddSeconds(-secondsFromNow)));
    }

    [Theory]
    [InlineData(null, Signature)]
    [InlineData("", Signature)]
    [InlineData("yesterday", Signature)]
    [InlineData("-1531420618", Signature)]
    [InlineData("99999999999999999999999", Signature)]
    [InlineData(Timestamp, null)]
    [InlineData(Timestamp, "")]
    [InlineData(Timestamp, "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData(Timestamp, "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503")]
    [InlineData(Timestamp, "v0=not-hex")]
    [InlineData(Timestamp, "v0=a2114d57")]
    [InlineData(Timestamp, "v0=")]
    public void A_missing_or_malformed_header_is_malformed(string? timestamp, string? signature)
    {
        Assert.Equal(SlackSignatureVerdict.Malformed, SlackSignature.Verify(Secret, timestamp, Body, signature, SignedAt));
    }

    [Fact]
    public void An_uppercase_hex_signature_is_the_same_signature()
    {
        Assert.Equal(SlackSignatureVerdict.Valid, SlackSignature.Verify(Secret, Timestamp, Body, "v0=" + Signature[3..].ToUpperInvariant(), SignedAt));
    }
}
