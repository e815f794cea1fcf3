using IncidentResponder.Core.Policy;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Unit;

public sealed class LabelSelectorMatcherTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Fact]
    public void An_empty_or_absent_selector_governs_everything()
    {
        Assert.True(LabelSelectorMatcher.Matches(null, Labels));
        Assert.True(LabelSelectorMatcher.Matches(new V1LabelSelector(), Labels));
    }

    [Theory]
    [InlineData("In", "front,back", true)]
    [InlineData("In", "back", false)]
    [InlineData("NotIn", "back", true)]
    [InlineData("NotIn", "front", false)]
    [InlineData("Exists", "", true)]
    [InlineData("DoesNotExist", "", false)]
    public void Expressions_follow_apimachinery(string op, string values, bool expected)
    {
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = op, Values = values.Length == 0 ? null : values.Split(',') }],
        };

        Assert.Equal(expected, LabelSelectorMatcher.Matches(selector, Labels));
    }
}
