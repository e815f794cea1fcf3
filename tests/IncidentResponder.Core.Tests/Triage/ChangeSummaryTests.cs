using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Revisions;
using IncidentResponder.Core.Tests.Fixtures;
using IncidentResponder.Core.Triage;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Triage;

public sealed class ChangeSummaryTests
{
    private static ContainerSummary App(
        string image = "web:1", string[]? env = null, string? memory = "256Mi", string[]? args = null, string[]? command = null, string? readiness = "httpGet :8080/healthz") =>
        new("app", image, ValueList.Of(env ?? ["DB_URL", "LOG_LEVEL"]),
            ValueList.Of(new ResourceQuantity("cpu", "100m")),
            memory is null ? ValueList<ResourceQuantity>.Empty : ValueList.Of(new ResourceQuantity("memory", memory)),
            ValueList.Of(command ?? []), ValueList.Of(args ?? ["--port=8080"]), readiness);

    private static PodTemplateSummary Template(params ContainerSummary[] containers) => new(ValueList.Of(containers));

    [Theory]
    [MemberData(nameof(SingleChanges))]
    public void Each_kind_of_change_is_one_line(ContainerSummary failing, string expected) =>
        Assert.Equal([expected], TemplateDiff.Describe(Template(App()), Template(failing)));

    public static TheoryData<ContainerSummary, string> SingleChanges() => new()
    {
        { App(image: "web:2"), "container app: image web:1 → web:2" },
        { App(env: ["DB_URL", "LOG_LEVEL", "FEATURE_X"]), "container app: env added: FEATURE_X" },
        { App(env: ["DB_URL"]), "container app: env removed: LOG_LEVEL" },
        { App(memory: "128Mi"), "container app: limits.memory 256Mi → 128Mi" },
        { App(memory: null), "container app: limits.memory 256Mi → unset" },
        { App(args: ["--port=9090"]), "container app: args [--port=8080] → [--port=9090]" },
        { App(command: ["/bin/web", "serve"]), "container app: command (default) → [/bin/web serve]" },
        { App(readiness: "httpGet :8080/ready"), "container app: readiness probe httpGet :8080/healthz → httpGet :8080/ready" },
        { App(readiness: null), "container app: readiness probe httpGet :8080/healthz → none" },
    };

    [Fact]
    public void Env_order_is_not_a_change() =>
        Assert.Empty(TemplateDiff.Describe(Template(App()), Template(App(env: ["LOG_LEVEL", "DB_URL"]))));

    [Fact]
    public void Added_and_removed_containers_are_named() =>
        Assert.Equal(
            ["container sidecar: removed", "container proxy: added (image envoy:1)"],
            TemplateDiff.Describe(
                Template(App(), ContainerSummary.Of("sidecar", "fluent:1")),
                Template(App(), ContainerSummary.Of("proxy", "envoy:1"))));

    [Fact]
    public void Builds_the_incident_change_record()
    {
        var good = ReplicaSet(2, Clock.T0, template: Template(App()));
        var failing = ReplicaSet(3, Clock.T0, template: Template(App(image: "web:2", memory: "64Mi")));
        var change = ChangeSummary.Build(failing, good);
        Assert.Equal(3, change.FailingRevision);
        Assert.Equal(2, change.GoodRevision);
        Assert.Equal(["container app: image web:1 → web:2", "container app: limits.memory 256Mi → 64Mi"], change.Differences);
    }

    [Fact]
    public void Without_a_good_revision_it_says_so() =>
        Assert.Equal(["no earlier revision to compare with"], ChangeSummary.Build(ReplicaSet(1, Clock.T0), null).Differences);

    [Fact]
    public void Changes_outside_the_summary_are_admitted()
    {
        var good = ReplicaSet(2, Clock.T0, template: Template(App()) with { Fingerprint = "aaa" });
        var failing = ReplicaSet(3, Clock.T0, template: Template(App()) with { Fingerprint = "bbb" });
        Assert.Equal(["no difference in images, env names, resources, args or probes (other template fields changed)"],
            ChangeSummary.Build(failing, good).Differences);
    }

    [Fact]
    public void Difference_lines_are_capped_at_the_api_limit()
    {
        var many = Enumerable.Range(0, 60).Select(i => ContainerSummary.Of($"c{i}", "x:1")).ToArray();
        var lines = ChangeSummary.Build(ReplicaSet(3, Clock.T0, template: Template(many)), ReplicaSet(2, Clock.T0, template: Template())).Differences!;
        Assert.Equal(ChangeSummary.MaxLines, lines.Count);
        Assert.Equal("... and 11 more differences", lines[^1]);
    }
}
