using System.Text.Json.Nodes;
using IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Simulator.Tests.GitOps;

/// <summary>The HelmRelease defaults the emulated helm-controller applies, as helm-controller v2 documents them.</summary>
public sealed class HelmReleaseSpecTests
{
    private static HelmReleaseSpec Parse(string spec, string name = "web") => HelmReleaseSpec.Parse(JsonNode.Parse($$"""
        {"metadata": {"name": "{{name}}", "namespace": "shop"},
         "spec": {"interval": "1m", "chart": {"spec": {"chart": "./charts/web", "sourceRef": {"kind": "GitRepository", "name": "charts"} } }{{spec}} } }
        """)!.AsObject());

    [Fact]
    public void Without_overrides_the_release_is_named_after_the_HelmRelease_in_its_namespace_with_drift_detection_off()
    {
        var spec = Parse(string.Empty);

        Assert.Equal(("web", "shop", "shop"), (spec.ReleaseName, spec.TargetNamespace, spec.StorageNamespace));
        Assert.Equal(("shop", "charts"), (spec.SourceNamespace, spec.SourceName));
        Assert.Equal("shop/shop-web", spec.HelmChart);
        Assert.Equal(HelmDriftMode.Disabled, spec.DriftMode);
        Assert.Null(spec.Unsupported);
    }

    [Fact]
    public void A_target_namespace_prefixes_the_release_name_and_an_explicit_release_name_wins()
    {
        var targeted = Parse(""", "targetNamespace": "prod" """);

        Assert.Equal(("prod-web", "prod", "shop"), (targeted.ReleaseName, targeted.TargetNamespace, targeted.StorageNamespace));
        Assert.Equal("frontend", Parse(""", "targetNamespace": "prod", "releaseName": "frontend" """).ReleaseName);
    }

    [Fact]
    public void A_composed_release_name_past_53_characters_is_shortened_stably()
    {
        var name = new string('w', 60);
        var first = Parse(string.Empty, name).ReleaseName;

        Assert.Equal(53, first.Length);
        Assert.StartsWith(new string('w', 40) + "-", first, StringComparison.Ordinal);
        Assert.Equal(first, Parse(string.Empty, name).ReleaseName);
        Assert.NotEqual(first, Parse(string.Empty, new string('w', 61)).ReleaseName);
    }

    [Fact]
    public void The_values_digest_ignores_key_order_but_not_values()
    {
        var digest = Parse(""", "values": {"image": {"repository": "nginx", "tag": "1.27"}, "replicas": 2} """).ConfigDigest;

        Assert.Equal(digest, Parse(""", "values": {"replicas": 2, "image": {"tag": "1.27", "repository": "nginx"}} """).ConfigDigest);
        Assert.NotEqual(digest, Parse(""", "values": {"replicas": 2, "image": {"tag": "1.28", "repository": "nginx"}} """).ConfigDigest);
    }

    [Theory]
    [InlineData("enabled", HelmDriftMode.Enabled)]
    [InlineData("warn", HelmDriftMode.Warn)]
    [InlineData("disabled", HelmDriftMode.Disabled)]
    public void Drift_detection_modes_are_read_from_the_spec(string mode, HelmDriftMode expected) =>
        Assert.Equal(expected, Parse($$""", "driftDetection": {"mode": "{{mode}}"} """).DriftMode);

    [Theory]
    [InlineData(""", "valuesFrom": [{"kind": "ConfigMap", "name": "web-values"}] """, "valuesFrom")]
    [InlineData(""", "chartRef": {"kind": "OCIRepository", "name": "web"} """, "chartRef")]
    public void Parts_the_simulator_does_not_emulate_are_named(string extra, string part) =>
        Assert.Contains(part, Parse(extra).Unsupported, StringComparison.Ordinal);
}
