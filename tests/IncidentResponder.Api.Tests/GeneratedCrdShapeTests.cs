using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentResponder.Api.Tests.Support;
using IncidentResponder.Crds;

namespace IncidentResponder.Api.Tests;

/// <summary>The facts the issue fixes about the CRDs: names, scope, versions, subresources, columns, and schema rules the apiserver insists on.</summary>
public sealed partial class GeneratedCrdShapeTests
{
    [Theory]
    [InlineData("Incident", "incidents", "inc")]
    [InlineData("Runbook", "runbooks", "rb")]
    [InlineData("RemediationPolicy", "remediationpolicies", "rp")]
    public void Names_scope_and_version(string kind, string plural, string shortName)
    {
        var crd = CustomResourceDefinitionGenerator.GenerateAll().Single(c => c.Spec.Names.Kind == kind);

        Assert.Equal($"{plural}.incidentresponder.dev", crd.Metadata.Name);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        Assert.Equal(plural, crd.Spec.Names.Plural);
        Assert.Equal(kind.ToLowerInvariant(), crd.Spec.Names.Singular);
        Assert.Equal(kind + "List", crd.Spec.Names.ListKind);
        Assert.Equal([shortName], crd.Spec.Names.ShortNames);
        Assert.Equal(["incidentresponder"], crd.Spec.Names.Categories);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal("v1alpha1", version.Name);
        Assert.True(version.Served);
        Assert.True(version.Storage);
        Assert.NotNull(version.Subresources?.Status);
    }

    [Fact]
    public void Incident_printer_columns_make_an_incident_board_in_declared_order()
    {
        var crd = CustomResourceDefinitionGenerator.GenerateAll().Single(c => c.Spec.Names.Kind == "Incident");
        var columns = crd.Spec.Versions[0].AdditionalPrinterColumns;

        Assert.Equal(["Severity", "Phase", "Kind", "Target", "Signal", "Reason", "Mitigated", "Resolved", "Runbook", "GitOps", "Holder", "Age"], columns.Select(c => c.Name));
        Assert.Equal(".metadata.creationTimestamp", columns[^1].JsonPath);
        Assert.Equal("date", columns[^1].Type);
    }

    [Fact]
    public void Every_printer_column_path_exists_in_the_schema()
    {
        foreach (var (kind, crd) in GeneratedSchemas.CrdsByKind)
        {
            var schema = GeneratedSchemas.SchemaOf(kind);
            foreach (var column in crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray())
            {
                var path = column!["jsonPath"]!.GetValue<string>();
                if (path.StartsWith(".metadata.", StringComparison.Ordinal))
                {
                    continue;
                }

                JsonNode? node = schema;
                foreach (var segment in ColumnSegment().Matches(FilterExpression().Replace(path, "")).Select(m => m.Groups[1].Value))
                {
                    node = node?["properties"]?[segment] ?? node?["items"]?["properties"]?[segment];
                }

                Assert.True(node is not null, $"{kind} column {column["name"]} points at {path}, which is not in the schema");
            }
        }
    }

    [Fact]
    public void List_map_keys_are_required_in_their_items_and_sets_hold_scalars()
    {
        foreach (var kind in GeneratedSchemas.CrdsByKind.Keys)
        {
            foreach (var (path, schema) in AllSchemas(GeneratedSchemas.SchemaOf(kind), kind))
            {
                switch (schema["x-kubernetes-list-type"]?.GetValue<string>())
                {
                    case "map":
                        var required = schema["items"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
                        foreach (var key in schema["x-kubernetes-list-map-keys"]!.AsArray())
                        {
                            Assert.True(required.Contains(key!.GetValue<string>()), $"{path}: list-map key {key} is not required");
                        }

                        break;
                    case "set":
                        Assert.DoesNotContain(schema["items"]!["type"]!.GetValue<string>(), new[] { "object", "array" });
                        break;
                }
            }
        }
    }

    [Fact]
    public void Lists_and_strings_that_rules_iterate_are_bounded_so_the_apiserver_accepts_the_rule_cost()
    {
        foreach (var kind in GeneratedSchemas.CrdsByKind.Keys)
        {
            foreach (var (path, schema) in AllSchemas(GeneratedSchemas.SchemaOf(kind), kind))
            {
                foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).Select(r => r!["rule"]!.GetValue<string>()))
                {
                    foreach (var iterated in IteratedList().Matches(rule).Select(m => m.Groups[1].Value).Distinct())
                    {
                        var list = schema["properties"]?[iterated];
                        Assert.True(list?["maxItems"] is not null, $"{path}: rule iterates self.{iterated}, which has no maxItems: {rule}");
                        // Strings the rule reads inside the items are compared, and a comparison costs their maxLength.
                        var readFields = RuleField().Matches(rule).Select(m => m.Groups[1].Value).ToHashSet();
                        foreach (var (itemPath, item) in AllSchemas(list!["items"]!.AsObject(), $"{path}.{iterated}[*]"))
                        {
                            if (item["type"]?.GetValue<string>() == "string" && readFields.Contains(itemPath.Split('.')[^1]))
                            {
                                Assert.True(item["maxLength"] is not null || item["enum"] is not null, $"{itemPath}: a string a rule compares has no maxLength");
                            }
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void Every_field_of_every_spec_is_described()
    {
        foreach (var kind in GeneratedSchemas.CrdsByKind.Keys)
        {
            var spec = GeneratedSchemas.SchemaOf(kind)["properties"]!["spec"]!.AsObject();
            foreach (var (path, schema) in AllSchemas(spec, $"{kind}.spec"))
            {
                if (!path.EndsWith("[*]", StringComparison.Ordinal) && !path.Contains("cadence", StringComparison.Ordinal))
                {
                    Assert.True(schema["description"] is not null, $"{path} has no description");
                }
            }
        }
    }

    private static IEnumerable<(string Path, JsonObject Schema)> AllSchemas(JsonObject schema, string path)
    {
        yield return (path, schema);
        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            foreach (var nested in AllSchemas(property!.AsObject(), $"{path}.{name}"))
            {
                yield return nested;
            }
        }

        if (schema["items"] is JsonObject items)
        {
            foreach (var nested in AllSchemas(items, $"{path}[*]"))
            {
                yield return nested;
            }
        }
    }

    [GeneratedRegex(@"\.([A-Za-z0-9]+)")]
    private static partial Regex ColumnSegment();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex FilterExpression();

    [GeneratedRegex(@"\.([A-Za-z0-9]+)")]
    private static partial Regex RuleField();

    [GeneratedRegex(@"self\.([A-Za-z0-9]+)\.(?:all|exists|exists_one|map|filter)\(")]
    private static partial Regex IteratedList();
}
