using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Observations;
using IncidentResponder.Core.Policy;
using IncidentResponder.Core.Quantities;
using IncidentResponder.Core.Tests.Fixtures;
using static IncidentResponder.Core.Tests.Fixtures.Cluster;

namespace IncidentResponder.Core.Tests.Actions;

public sealed class MemoryLimitPlannerTests
{
    private static ContainerSummary Container(string name, string? limit, string? request = null) =>
        ContainerSummary.Of(name, "registry.example/web:2.0") with
        {
            Limits = limit is null ? ValueList<ResourceQuantity>.Empty : ValueList.Of(new ResourceQuantity("memory", limit)),
            Requests = request is null ? ValueList<ResourceQuantity>.Empty : ValueList.Of(new ResourceQuantity("memory", request)),
        };

    private static DeploymentObservation With(params ContainerSummary[] containers) =>
        Deployment() with { Template = new PodTemplateSummary(ValueList.Of(containers)) };

    private static ActionPlan Plan(DeploymentObservation deployment, RaiseMemoryLimitAction? settings = null, string[]? oom = null,
        PriorRaise[]? prior = null, bool oomContinues = true, ActionCaps? caps = null) =>
        MemoryLimitPlanner.Plan(settings ?? new RaiseMemoryLimitAction { Factor = 1.5 }, deployment, oom ?? ["app"], prior ?? [], oomContinues,
            caps ?? ActionCaps.Default, Clock.T0);

    private static ActionChange.SetMemoryLimit Applied(ActionPlan plan) =>
        Assert.IsType<ActionChange.SetMemoryLimit>(Assert.IsType<ActionPlan.Apply>(plan).Change);

    [Fact]
    public void Raises_the_oom_killed_containers_limit_by_the_factor_and_keeps_the_request()
    {
        var change = Applied(Plan(With(Container("app", "256Mi", "128Mi"))));
        Assert.Equal(("app", "256Mi", "384Mi", "128Mi", "128Mi", "256Mi", "512Mi"),
            (change.Container, change.FromLimit.ToString(), change.ToLimit.ToString(), change.FromRequest.ToString(), change.ToRequest.ToString(),
                change.OriginalLimit.ToString(), change.Cap.ToString()));
    }

    [Fact]
    public void The_factor_defaults_to_one_and_a_half()
    {
        Assert.Equal("150Mi", Applied(MemoryLimitPlanner.Plan(null, With(Container("app", "100Mi")), ["app"], [], true, ActionCaps.Default, Clock.T0)).ToLimit.ToString());
    }

    [Fact]
    public void Is_capped_by_the_factor_cap_of_the_original_limit()
    {
        var plan = Assert.IsType<ActionPlan.Apply>(Plan(With(Container("app", "256Mi")), new RaiseMemoryLimitAction { Factor = 4 }));
        Assert.Equal("512Mi", ((ActionChange.SetMemoryLimit)plan.Change).ToLimit.ToString());
        Assert.Contains("capped from 1Gi", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Is_capped_by_max_memory_when_that_is_lower()
    {
        var caps = ActionCaps.Default with { MaxMemory = MemoryQuantity.Parse("300Mi") };
        Assert.Equal("300Mi", Applied(Plan(With(Container("app", "256Mi")), caps: caps)).Cap.ToString());
    }

    [Fact]
    public void At_the_cap_it_refuses_naming_the_rule()
    {
        var caps = ActionCaps.Default with { MaxMemory = MemoryQuantity.Parse("256Mi") };
        var refuse = Assert.IsType<ActionPlan.Refuse>(Plan(With(Container("app", "256Mi")), caps: caps));
        Assert.Equal("max-memory", refuse.Rule);
        Assert.Contains("already at the cap of 256Mi (min of maxMemory 256Mi and 2× the original 256Mi)", refuse.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incident_raises_once_so_its_cap_never_compounds()
    {
        var raised = new PriorRaise("inc-1", "raise-memory-limit", Clock.At(-600), true);
        var noWindow = ActionCaps.Default with { MemoryRaiseWindow = TimeSpan.Zero };

        // The first raise of 256Mi caps at 512Mi; a second one (from 384Mi, which would cap at 768Mi) never happens.
        Assert.Equal("512Mi", Applied(Plan(With(Container("app", "256Mi")), new RaiseMemoryLimitAction { Factor = 4 })).ToLimit.ToString());
        Assert.IsType<ActionPlan.Escalate>(Plan(With(Container("app", "384Mi")), prior: [raised], caps: noWindow));
        Assert.IsType<ActionPlan.Skip>(Plan(With(Container("app", "384Mi")), prior: [raised], oomContinues: false, caps: noWindow));

        // Another incident's raise outside the window does not block: that incident's original is the limit now.
        var old = new PriorRaise("inc-0", "raise-memory-limit", Clock.T0.AddDays(-2), false);
        Assert.Equal(("576Mi", "768Mi"), (Applied(Plan(With(Container("app", "384Mi")), prior: [old])).ToLimit.ToString(),
            Applied(Plan(With(Container("app", "384Mi")), prior: [old])).Cap.ToString()));
    }

    [Fact]
    public void Oom_continuing_after_a_raise_escalates_instead_of_raising_again()
    {
        var prior = new PriorRaise("inc-1", "raise-memory-limit", Clock.At(-300), true);
        var escalate = Assert.IsType<ActionPlan.Escalate>(Plan(With(Container("app", "384Mi")), prior: [prior]));
        Assert.Contains("OOM kills continue after the memory limit of Deployment web was raised (step raise-memory-limit of incident inc-1 raised it 5m0s ago)",
            escalate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_incidents_raise_within_the_window_counts_too()
    {
        var prior = new PriorRaise("inc-0", "raise-memory-limit", Clock.T0.AddHours(-3), false);
        Assert.IsType<ActionPlan.Escalate>(Plan(With(Container("app", "384Mi")), prior: [prior]));
        Assert.Contains("at most once per 24h0m0s", Assert.IsType<ActionPlan.Skip>(Plan(With(Container("app", "384Mi")), prior: [prior], oomContinues: false)).Reason,
            StringComparison.Ordinal);
        Assert.IsType<ActionPlan.Apply>(Plan(With(Container("app", "384Mi")), prior: [prior with { At = Clock.T0.AddHours(-25) }]));
    }

    [Fact]
    public void The_request_moves_only_if_it_would_exceed_the_new_limit()
    {
        // An invalid-looking but possible input (request above the old limit): Kubernetes requires request <= limit.
        var change = Applied(Plan(With(Container("app", "256Mi", "1Gi"))));
        Assert.Equal(("1Gi", "384Mi"), (change.FromRequest.ToString(), change.ToRequest.ToString()));
        Assert.Null(Applied(Plan(With(Container("app", "256Mi")))).ToRequest);
    }

    [Fact]
    public void Picks_the_named_container_else_the_oom_killed_one_else_the_only_one()
    {
        var two = With(Container("sidecar", "64Mi"), Container("app", "256Mi"));
        Assert.Equal("sidecar", Applied(Plan(two, new RaiseMemoryLimitAction { Container = "sidecar", Factor = 2 })).Container);
        Assert.Equal("app", Applied(Plan(two, oom: ["app"])).Container);
        Assert.Equal("app", Applied(Plan(With(Container("app", "256Mi")), oom: [])).Container);
        Assert.Contains("name one in raiseMemoryLimit.container", Assert.IsType<ActionPlan.Skip>(Plan(two, oom: [])).Reason, StringComparison.Ordinal);
        Assert.Contains("has no container nope", Assert.IsType<ActionPlan.Skip>(Plan(two, new RaiseMemoryLimitAction { Container = "nope" })).Reason,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Skips_a_container_without_a_limit_a_paused_deployment_or_an_unobserved_template()
    {
        Assert.Contains("no memory limit", Plan(With(Container("app", null, "128Mi"))).Reason, StringComparison.Ordinal);
        Assert.Contains("is paused", Plan(With(Container("app", "256Mi")) with { Paused = true }).Reason, StringComparison.Ordinal);
        Assert.Contains("not observed", Plan(Deployment() with { Template = null }).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decimal_limits_stay_decimal()
    {
        Assert.Equal("300M", Applied(Plan(With(Container("app", "200M")))).ToLimit.ToString());
    }
}
