using IncidentResponder.Core.Metrics;

namespace IncidentResponder.Core.Tests.Metrics;

public sealed class PromQlTemplateTests
{
    private const string ErrorRatio =
        "sum(rate(http_requests_total{namespace=\"{{namespace}}\",pod=~\"{{deployment}}-{{podTemplateHash}}-.*\",code=~\"5..\"}[1m]))";

    [Fact]
    public void Every_placeholder_is_filled_with_the_deployment_and_revision()
    {
        var filled = PromQlTemplate.Fill(ErrorRatio + " # r{{revision}}", new TemplateValues("shop", "web", 3, "7d9f"));
        Assert.Equal("sum(rate(http_requests_total{namespace=\"shop\",pod=~\"web-7d9f-.*\",code=~\"5..\"}[1m])) # r3", filled);
    }

    [Fact]
    public void A_label_value_cannot_close_its_string_and_add_matchers()
    {
        var filled = PromQlTemplate.Fill("up{namespace=\"{{namespace}}\"}", new TemplateValues("a\",job=\"x\\", "web", 1, "h"));
        Assert.Equal("up{namespace=\"a\\\",job=\\\"x\\\\\"}", filled);
    }

    [Fact]
    public void Newlines_and_tabs_are_escaped_as_promql_string_escapes()
    {
        Assert.Equal("a\\nb\\tc\\r", PromQlTemplate.Escape("a\nb\tc\r"));
    }

    [Fact]
    public void A_per_revision_query_is_not_filled_before_the_deployment_has_a_revision()
    {
        Assert.Null(PromQlTemplate.Fill(ErrorRatio, new TemplateValues("shop", "web", null, null)));
        Assert.Equal("up{namespace=\"shop\"}", PromQlTemplate.Fill("up{namespace=\"{{namespace}}\"}", new TemplateValues("shop", "web", null, null)));
    }

    [Fact]
    public void An_unknown_placeholder_is_named_and_left_as_written()
    {
        Assert.Equal("pod", PromQlTemplate.UnknownPlaceholder("up{x=\"{{pod}}\"}"));
        Assert.Null(PromQlTemplate.UnknownPlaceholder(ErrorRatio));
        Assert.Equal("up{x=\"{{pod}}\"}", PromQlTemplate.Fill("up{x=\"{{pod}}\"}", new TemplateValues("shop", "web", 1, "h")));
    }

    [Fact]
    public void Only_a_query_naming_the_revision_or_its_hash_can_tell_revisions_apart()
    {
        Assert.True(PromQlTemplate.IsPerRevision(ErrorRatio));
        Assert.True(PromQlTemplate.IsPerRevision("x{r=\"{{revision}}\"}"));
        Assert.False(PromQlTemplate.IsPerRevision("x{deployment=\"{{deployment}}\"}"));
    }
}
