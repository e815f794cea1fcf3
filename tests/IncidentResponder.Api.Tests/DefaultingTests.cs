using System.Text.Json.Nodes;
using IncidentResponder.Api.Tests.Support;
using IncidentResponder.Simulator.Validation;

namespace IncidentResponder.Api.Tests;

/// <summary>Schema defaults are applied as the apiserver applies them: to missing fields of objects that exist, typed, recursively.</summary>
public sealed class DefaultingTests
{
    [Fact]
    public void Generated_defaults_fill_missing_fields_with_correctly_typed_values()
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document("""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata: {name: rp}
            spec:
              signals: [{signal: CrashLoop, runbookRef: {name: rb}}]
              modes: {}
              guardrails: {maxReplicas: 5}
            """));

        Assert.True(admission.IsValid, string.Join("\n", admission.Errors));
        var spec = admission.Object["spec"]!;
        Assert.Equal("DryRun", spec["modes"]!["default"]!.GetValue<string>());
        Assert.False(spec["paused"]!.GetValue<bool>());
        Assert.Equal("10m", spec["guardrails"]!["cooldownPerTarget"]!.GetValue<string>());
        Assert.Equal(3, spec["guardrails"]!["maxConcurrentIncidents"]!.GetValue<long>());
        Assert.Equal(2.0, spec["guardrails"]!["maxMemoryFactor"]!.GetValue<double>());
        Assert.Equal(5, spec["guardrails"]!["maxReplicas"]!.GetValue<long>());

        // No default for an object means no defaults inside it either: detection was not given.
        Assert.Null(spec["detection"]);
    }

    [Fact]
    public void Defaults_apply_inside_list_items_and_enums_default_to_their_json_names()
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document("""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Runbook
            metadata: {name: rb}
            spec:
              title: t
              signals: [CrashLoop]
              steps:
                - {name: a, action: {type: RolloutUndo, rolloutUndo: {}}, verify: {}, onFailure: {}}
            """));

        Assert.True(admission.IsValid, string.Join("\n", admission.Errors));
        var spec = admission.Object["spec"]!;
        var step = spec["steps"]![0]!;
        Assert.Equal("SEV-3", spec["severity"]!.GetValue<string>());
        Assert.Equal("LastKnownGood", step["action"]!["rolloutUndo"]!["to"]!.GetValue<string>());
        Assert.Equal("30s", step["verify"]!["window"]!.GetValue<string>());
        Assert.Equal("5m", step["verify"]!["timeout"]!.GetValue<string>());
        Assert.Equal("NextStep", step["onFailure"]!["action"]!.GetValue<string>());
    }

    [Fact]
    public void Present_values_are_kept_nulls_are_defaulted_or_dropped_and_object_defaults_are_defaulted_inside()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "kept":{"type":"string","default":"d"},
              "nulled":{"type":"integer","default":7},
              "nullNoDefault":{"type":"string"},
              "nullable":{"type":"string","nullable":true,"default":"x"},
              "settings":{"type":"object","default":{},"properties":{"retries":{"type":"integer","default":3}}}}}
            """)!.AsObject();
        var document = JsonNode.Parse("""{"kept":"mine","nulled":null,"nullNoDefault":null,"nullable":null}""")!.AsObject();

        SchemaDefaulter.Apply(schema, document);

        Assert.Equal("""{"kept":"mine","nulled":7,"nullable":null,"settings":{"retries":3}}""", document.ToJsonString());
    }
}
