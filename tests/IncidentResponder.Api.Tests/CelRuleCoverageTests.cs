using System.Text.Json.Nodes;
using IncidentResponder.Api.Tests.Support;
using IncidentResponder.Simulator.Validation;

namespace IncidentResponder.Api.Tests;

/// <summary>
/// Every CEL rule in the generated CRDs is one the validator can evaluate, so none is skipped in silence; and a rule
/// it cannot evaluate is reported as a warning, never passed.
/// </summary>
public sealed class CelRuleCoverageTests
{
    public static TheoryData<string, string> Rules
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var kind in GeneratedSchemas.CrdsByKind.Keys.Order(StringComparer.Ordinal))
            {
                foreach (var rule in CelRules.Enumerate(GeneratedSchemas.SchemaOf(kind)))
                {
                    data.Add($"{kind} {rule.SchemaPath}", rule.Rule);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Rule_can_be_evaluated_by_the_cel_library(string location, string rule)
    {
        Assert.True(CelRuleSupport.WhyUnsupported(rule) is null, $"{location}: {CelRuleSupport.WhyUnsupported(rule)}: {rule}");
    }

    [Fact]
    public void No_generated_crd_has_an_unenforced_rule()
    {
        foreach (var kind in GeneratedSchemas.CrdsByKind.Keys)
        {
            Assert.Empty(GeneratedSchemas.For(kind).Cel.UnenforcedRules);
        }
    }

    [Fact]
    public void The_generated_crds_have_the_expected_number_of_rules()
    {
        // A guard against rules silently disappearing from the generator's output.
        var count = GeneratedSchemas.CrdsByKind.Keys.Sum(kind => CelRules.Enumerate(GeneratedSchemas.SchemaOf(kind)).Count);
        Assert.True(count >= 20, $"only {count} CEL rules were generated");
    }

    [Fact]
    public void Every_rule_is_evaluated_by_the_valid_fixtures_without_error()
    {
        // Each rule must actually run against real data somewhere: a rule that only ever errors would reject everything.
        var fixtures = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), "*.yaml")
            .Select(file => YamlJson.Document(File.ReadAllText(file)))
            .Select(document => GeneratedSchemas.Admit(document))
            .ToList();

        Assert.All(fixtures, admission => Assert.True(admission.IsValid, string.Join("\n", admission.Errors)));
    }

    [Fact]
    public void A_rule_the_library_cannot_evaluate_becomes_a_warning_not_a_pass_or_an_error()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object",
              "x-kubernetes-validations":[
                {"rule":"self.name.lowerAscii() == self.name","message":"name must be lower case"},
                {"rule":"self.name.size() <= 5","message":"name must be short"}],
              "properties":{"name":{"type":"string","maxLength":63}}}}}
            """)!.AsObject();
        var validator = new CustomResourceValidator(schema);

        var admission = validator.Admit(JsonNode.Parse("""{"spec":{"name":"TooLongName"}}""")!.AsObject());

        var warning = Assert.Single(admission.Warnings);
        Assert.Contains("spec", warning, StringComparison.Ordinal);
        Assert.Contains("lowerAscii()", warning, StringComparison.Ordinal);
        Assert.Contains("self.name.lowerAscii() == self.name", warning, StringComparison.Ordinal);
        var error = Assert.Single(admission.Errors);
        Assert.Equal("spec: Invalid value: \"object\": name must be short", error.ToString());
    }

    [Theory]
    [InlineData("self.x.split(',').size() > 1", "split()")]
    [InlineData("self.items.isSorted()", "isSorted()")]
    [InlineData("quantity(self.q).isGreaterThan(quantity('1Gi'))", "quantity()")]
    [InlineData("url(self.u).getScheme() == 'https'", "url()")]
    [InlineData("self.?x.orValue('') == ''", "optional")]
    [InlineData("self == oldSelf", "transition rule")]
    public void Kubernetes_cel_extensions_the_library_lacks_are_detected(string rule, string expected)
    {
        Assert.Contains(expected, CelRuleSupport.WhyUnsupported(rule), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has(self.a) && self.list.all(x, x > 0) && self.list.exists(x, x == 1) && self.list.exists_one(x, x == 2)")]
    [InlineData("self.s.matches('^a') && self.s.startsWith('a') && self.s.endsWith('c') && self.s.contains('b') && size(self.s) == 3")]
    [InlineData("duration(self.d) < duration('1h') ? true : false")]
    [InlineData("self.list.map(x, x * 2).filter(x, x > 2).size() == 1 && 'a' in self.m")]
    public void Features_kubernetes_rules_commonly_use_are_supported(string rule)
    {
        Assert.Null(CelRuleSupport.WhyUnsupported(rule));
    }
}
