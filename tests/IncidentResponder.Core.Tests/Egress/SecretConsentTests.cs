using IncidentResponder.Core.Egress;

namespace IncidentResponder.Core.Tests.Egress;

public sealed class SecretConsentTests
{
    private static Dictionary<string, string> SendTo(string value) => new() { [SecretConsent.Annotation] = value };

    [Theory]
    [InlineData("https://flags.example.com/", "https://flags.example.com/api/flags")]
    [InlineData("https://flags.example.com/api", "https://flags.example.com/api/flags")]
    [InlineData("https://flags.example.com/api/", "https://flags.example.com/api")]
    [InlineData("https://other.example.com/, https://flags.example.com/api", "https://flags.example.com/api/flags")]
    [InlineData("https://other.example.com/\nhttps://FLAGS.example.com", "https://flags.example.com/x")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/feature-flags")]
    public void A_url_under_a_listed_prefix_is_allowed(string annotation, string url) =>
        Assert.Null(SecretConsent.Refusal("shop", "token", SendTo(annotation), new Uri(url)));

    [Theory]
    [InlineData("https://flags.example.com/api", "https://flags.example.com/api-admin")]
    [InlineData("https://flags.example.com/api", "https://flags.example.com/")]
    [InlineData("https://flags.example.com/", "https://flags.example.com.evil.test/")]
    [InlineData("https://flags.example.com/", "http://flags.example.com/")]
    [InlineData("https://flags.example.com/", "https://flags.example.com:8443/")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:6379/")]
    [InlineData("not a url, flags.example.com", "https://flags.example.com/")]
    [InlineData("file:///etc/", "https://flags.example.com/")]
    public void A_url_outside_every_listed_prefix_is_refused_naming_the_annotation(string annotation, string url)
    {
        var refusal = SecretConsent.Refusal("shop", "token", SendTo(annotation), new Uri(url));

        Assert.Equal($"Secret shop/token is not sent to {new Uri(url).GetLeftPart(UriPartial.Authority)}/: its annotation incidentresponder.dev/send-to does not list that URL", refusal);
    }

    [Fact]
    public void A_secret_without_the_annotation_is_refused_with_the_annotation_to_add()
    {
        var refusal = SecretConsent.Refusal("shop", "token", new Dictionary<string, string> { ["other"] = "x" }, new Uri("https://flags.example.com/api/flags"));

        Assert.Equal("Secret shop/token is not sent to https://flags.example.com/: it does not say where it may be sent; "
            + "whoever may edit it adds the annotation incidentresponder.dev/send-to=https://flags.example.com/", refusal);
        Assert.NotNull(SecretConsent.Refusal("shop", "token", null, new Uri("https://flags.example.com/")));
    }
}
