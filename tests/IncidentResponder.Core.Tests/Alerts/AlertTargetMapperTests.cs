using IncidentResponder.Core.Alerts;

namespace IncidentResponder.Core.Tests.Alerts;

public sealed class AlertTargetMapperTests
{
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static Alert WithLabels(params (string Name, string Value)[] labels) =>
        new(AlertStatus.Firing, labels.ToDictionary(l => l.Name, l => l.Value), new Dictionary<string, string>(), Start, null, null, "f1");

    private static readonly TargetFacts Shop = new Facts()
        .Deployment("shop", "web", app: "web")
        .Deployment("shop", "api", app: "api")
        .Deployment("shop", "api-canary", app: "api")
        .PodOf("shop", "web-abc-1", "web")
        .Pod("shop", "db-0", new OwnerFact("StatefulSet", "db"))
        .Pod("shop", "debug", null)
        .Service("shop", "web", new Dictionary<string, string> { ["app"] = "web" })
        .Service("shop", "api", new Dictionary<string, string> { ["app"] = "api" })
        .Service("shop", "external", null)
        .Build();

    [Theory]
    [InlineData("deployment", "web", "deployment web")]
    [InlineData("pod", "web-abc-1", "pod web-abc-1")]
    [InlineData("service", "web", "service web")]
    public void Each_target_label_leads_to_the_deployment(string label, string value, string via)
    {
        var mapped = AlertTargetMapper.Map(WithLabels(("namespace", "shop"), (label, value)), Shop);

        Assert.Null(mapped.UnmappedReason);
        Assert.Equal("shop", mapped.Target!.Namespace);
        Assert.Equal("web", mapped.Target.Deployment.Name);
        Assert.Equal(via, mapped.Target.Via);
    }

    [Fact]
    public void The_pod_wins_over_the_service_label_a_kube_state_metrics_alert_carries_for_the_exporter()
    {
        // KubePodCrashLooping from kube-state-metrics: service names the exporter, pod names the failing pod.
        var alert = WithLabels(("namespace", "shop"), ("service", "api"), ("pod", "web-abc-1"));

        Assert.Equal("web", AlertTargetMapper.Map(alert, Shop).Target!.Deployment.Name);
    }

    [Fact]
    public void A_label_that_leads_nowhere_falls_through_to_the_next()
    {
        var alert = WithLabels(("namespace", "shop"), ("deployment", "gone"), ("pod", "web-abc-1"));

        Assert.Equal("pod web-abc-1", AlertTargetMapper.Map(alert, Shop).Target!.Via);
    }

    public static TheoryData<string[], string> Unmappable() => new()
    {
        { ["alertname", "HighMemory"], "it has no namespace label" },
        { ["namespace", "Shop_Prod"], "its namespace label \"Shop_Prod\" is not a namespace name" },
        { ["namespace", "shop"], "it has no deployment, pod or service label" },
        { ["namespace", "shop", "deployment", "gone"], "Deployment shop/gone not found" },
        { ["namespace", "nowhere", "deployment", "web"], "Deployment nowhere/web not found" },
        { ["namespace", "shop", "deployment", "../secrets"], "deployment \"../secrets\" is not an object name" },
        { ["namespace", "shop", "pod", "db-0"], "pod db-0 belongs to StatefulSet db, not a Deployment" },
        { ["namespace", "shop", "pod", "debug"], "pod debug has no controller" },
        { ["namespace", "shop", "pod", "gone-1"], "pod shop/gone-1 not found" },
        { ["namespace", "shop", "service", "external"], "Service external has no selector" },
        { ["namespace", "shop", "service", "api"], "Service api selects the pods of 2 Deployments (api, api-canary)" },
        { ["namespace", "shop", "deployment", "gone", "pod", "db-0"], "Deployment shop/gone not found; pod db-0 belongs to StatefulSet db, not a Deployment" },
    };

    [Theory]
    [MemberData(nameof(Unmappable))]
    public void An_alert_without_a_target_says_why(string[] labels, string reason)
    {
        var pairs = labels.Chunk(2).Select(p => (p[0], p[1])).ToArray();

        var mapped = AlertTargetMapper.Map(WithLabels(pairs), Shop);

        Assert.Null(mapped.Target);
        Assert.Equal(reason, mapped.UnmappedReason);
    }

    [Fact]
    public void An_unwatched_namespace_is_not_mapped_and_not_looked_up()
    {
        var facts = new Facts { Watched = ["team-a"] }.Deployment("shop", "web", app: "web").Build();
        var alert = WithLabels(("namespace", "shop"), ("deployment", "web"));
        var group = new AlertGroup("g", AlertStatus.Firing, "r", new Dictionary<string, string>(), new Dictionary<string, string>(),
            new Dictionary<string, string>(), null, 0, [alert]);

        Assert.Equal("namespace shop is not watched by this operator", AlertTargetMapper.Map(alert, facts).UnmappedReason);
        Assert.Empty(AlertTargetMapper.Lookups(group, ["team-a"]).Deployments);
    }

    [Fact]
    public void Lookups_name_each_valid_object_once_and_never_an_invalid_name()
    {
        Alert[] alerts =
        [
            WithLabels(("namespace", "shop"), ("deployment", "web"), ("pod", "web-abc-1")),
            WithLabels(("namespace", "shop"), ("deployment", "web"), ("service", "api")),
            WithLabels(("namespace", "shop"), ("pod", "../../nodes")),
            WithLabels(("namespace", "-bad-"), ("deployment", "web")),
            WithLabels(("deployment", "orphan")),
        ];
        var group = new AlertGroup("g", AlertStatus.Firing, "r", new Dictionary<string, string>(), new Dictionary<string, string>(),
            new Dictionary<string, string>(), null, 0, alerts);

        var lookups = AlertTargetMapper.Lookups(group, []);

        Assert.Equal([new ObjectKey("shop", "web")], lookups.Deployments);
        Assert.Equal([new ObjectKey("shop", "web-abc-1")], lookups.Pods);
        Assert.Equal([new ObjectKey("shop", "api")], lookups.Services);
        Assert.Equal(["shop"], lookups.NamespacesOfServices);
    }
}
