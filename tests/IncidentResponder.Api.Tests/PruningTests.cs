using System.Text.Json.Nodes;
using IncidentResponder.Api.Tests.Support;
using IncidentResponder.Simulator.Validation;

namespace IncidentResponder.Api.Tests;

/// <summary>Unknown fields are dropped as the apiserver's structural pruning drops them, and reported by path.</summary>
public sealed class PruningTests
{
    [Fact]
    public void Unknown_fields_are_dropped_and_reported_by_path()
    {
        var admission = GeneratedSchemas.Admit(YamlJson.Document("""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Runbook
            metadata: {name: rb, labels: {team: payments}}
            spec:
              title: t
              colour: red
              signals: [CrashLoop]
              steps:
                - {name: a, action: {type: RestartRollout, force: true}}
            extra: 1
            """));

        Assert.True(admission.IsValid, string.Join("\n", admission.Errors));
        Assert.Equal(["extra", "spec.colour", "spec.steps[0].action.force"], admission.PrunedFields.Order(StringComparer.Ordinal));
        Assert.Null(admission.Object["extra"]);
        Assert.Null(admission.Object["spec"]!["colour"]);
        Assert.Null(admission.Object["spec"]!["steps"]![0]!["action"]!["force"]);

        // apiVersion, kind and metadata are the apiserver's own: kept whole.
        Assert.Equal("payments", admission.Object["metadata"]!["labels"]!["team"]!.GetValue<string>());
    }

    [Fact]
    public void Map_values_are_kept_and_preserve_unknown_fields_keeps_everything_below_it()
    {
        var schema = JsonNode.Parse("""
            {"type":"object","properties":{
              "details":{"type":"object","additionalProperties":{"type":"string"}},
              "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"known":{"type":"object","properties":{}}}},
              "list":{"type":"array","items":{"type":"object","properties":{"a":{"type":"string"}}}}}}
            """)!.AsObject();
        var document = JsonNode.Parse("""
            {"details":{"any-key":"v"},"free":{"anything":{"deep":1},"known":{"dropped":true}},"list":[{"a":"x","b":"y"}]}
            """)!.AsObject();

        var pruned = SchemaPruner.Prune(schema, document);

        Assert.Equal(["free.known.dropped", "list[0].b"], pruned.Order(StringComparer.Ordinal));
        Assert.Equal("""{"details":{"any-key":"v"},"free":{"anything":{"deep":1},"known":{}},"list":[{"a":"x"}]}""", document.ToJsonString());
    }
}
