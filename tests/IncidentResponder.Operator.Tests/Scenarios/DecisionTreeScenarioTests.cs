using System.Net;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Intake;
using IncidentResponder.Operator.Tests.Support;
using k8s;
using static IncidentResponder.Testing.AlertPayloads;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// The playbook's mitigation decision tree, as shipped in config/samples, walked branch by branch on the simulated
/// cluster: each branch starts from a real signal (a failing rollout, OOM kills, an Alertmanager notification) and
/// must end in exactly one action of its kind, or in people and no action at all.
/// </summary>
public sealed class DecisionTreeScenarioTests
{
    [Fact]
    public async Task A_recent_deploy_that_crash_loops_is_rolled_back()
    {
        await using var tree = await StartWithSamplesAsync();
        await tree.Cluster.CreateDeploymentAsync("web");
        tree.Cluster.StartOperator();

        await tree.Cluster.BadRolloutAsync("web", "crashloop");

        var incident = await ActedAsync(tree, "web", ActionType.RolloutUndo);
        Assert.Equal(SignalType.CrashLoop, incident.Spec.Signal.Type);
        OnlyAction(incident, "rollback-recent-deployment", ActionType.RolloutUndo);
        Assert.Single(tree.Cluster.RollbackPatches("web"));
    }

    [Fact]
    public async Task A_statefulset_recent_deploy_that_crash_loops_is_rolled_back_and_ends_with_every_replica_ready_on_the_good_revision()
    {
        await using var tree = await StartWithSamplesAsync();
        // A readiness probe makes OrderedReady stop on the first crash-looping pod, the case the sample's
        // forceRecreateStuckPods is there for.
        await tree.Cluster.CreateWorkloadAsync("statefulset", "db", WorkloadManifests.StatefulSet("db", new StatefulSetShape { ReadinessProbe = true }));
        var good = (await tree.Cluster.Client.AppsV1.ReadNamespacedStatefulSetAsync("db", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken)).Status.CurrentRevision;
        tree.Cluster.StartOperator();

        await tree.Cluster.BadWorkloadRolloutAsync("statefulset", "db", "crashloop");

        var incident = await ActedAsync(tree, "db", ActionType.RolloutUndo);
        Assert.Equal("StatefulSet", incident.Spec.TargetRef.Kind);
        OnlyAction(incident, "rollback-recent-deployment", ActionType.RolloutUndo);
        Assert.Single(tree.Cluster.OperatorPatches("statefulsets", "db"));
        await Eventually.TrueAsync(async () =>
        {
            var pods = await tree.Cluster.LivePodsAsync("db");
            return pods.Count == 3 && pods.All(p => WorkloadManifests.IsReady(p) && WorkloadManifests.RevisionOf(p) == good);
        }, "every replica of db ready on the good revision", TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task Oom_kills_on_a_first_revision_raise_the_memory_limit_within_the_two_times_cap_without_escalating()
    {
        await using var tree = await StartWithSamplesAsync();
        await tree.Cluster.Kubectl.ApplyAsync(ExhaustionManifests.Deployment("api"));
        (await tree.Cluster.Kubectl.RunAsync("rollout", "status", "deployment/api", "--timeout=60s")).ShouldSucceed();
        tree.Cluster.StartOperator();

        await tree.Cluster.OomRunningPodsAsync("api");

        var incident = await ActedAsync(tree, "api", ActionType.RaiseMemoryLimit);
        Assert.Equal(SignalType.OOMKilled, incident.Spec.Signal.Type);
        Assert.NotEqual(IncidentPhase.Escalated, incident.Status!.Phase);
        var raise = OnlyAction(incident, "raise-memory-limit", ActionType.RaiseMemoryLimit);
        Assert.Equal(("128Mi", "192Mi", "256Mi"), (raise.Details!["fromLimit"], raise.Details["toLimit"], raise.Details["cap"]));
        await Eventually.TrueAsync(async () => await tree.Cluster.MemoryLimitAsync("api") == "192Mi", "api's memory limit raised to 192Mi");
    }

    [Fact]
    public async Task Oom_kills_a_memory_raise_cannot_address_scale_the_deployment_out()
    {
        await using var tree = await StartWithSamplesAsync();
        // No memory limit: the kills come from the node's memory pressure, which a bigger limit does not relieve.
        await tree.Cluster.CreateDeploymentAsync("web");
        tree.Cluster.StartOperator();

        await tree.Cluster.OomRunningPodsAsync("web");

        var incident = await ActedAsync(tree, "web", ActionType.Scale);
        // The killed containers also crash-loop between kills; the OOM kills are what take the exhaustion branch.
        Assert.Contains(incident.Status!.Signals!, s => s.Type == SignalType.OOMKilled);
        OnlyAction(incident, "scale-up", ActionType.Scale);
        await Eventually.TrueAsync(async () => (await tree.Cluster.DeploymentAsync("web")).Spec.Replicas == 3, "web scaled from 2 to 3 replicas (factor 1.5)");
        var timeline = string.Join("\n", incident.Status!.Timeline!.Select(e => e.Message));
        Assert.True(timeline.Contains("no memory limit to raise", StringComparison.Ordinal), timeline);
    }

    [Fact]
    public async Task A_dependency_alert_flips_the_feature_flag()
    {
        await using var tree = await StartWithSamplesAsync();
        await tree.Cluster.Kubectl.ApplyAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: feature-flags}
            data: {payment_service: "true"}
            """);
        await tree.Cluster.CreateDeploymentAsync("web");
        tree.Cluster.StartOperator();

        var alert = Alert("pay1", alertname: "PaymentServiceErrors");
        alert["labels"]!["dependency"] = "payment-eu";
        Assert.Equal(HttpStatusCode.OK, (await tree.PostAsync(Group("{}:{alertname=\"PaymentServiceErrors\"}", alert))).Code);

        var incident = await ActedAsync(tree, "web", ActionType.FeatureFlag);
        Assert.Equal(SignalType.DependencyFailure, incident.Spec.Signal.Type);
        OnlyAction(incident, "disable-failing-dependency", ActionType.FeatureFlag);
        var flags = await tree.Cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("feature-flags", OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("false", flags.Data["payment_service"]);
    }

    [Fact]
    public async Task A_data_issue_alert_goes_to_people_with_no_action()
    {
        await using var tree = await StartWithSamplesAsync();
        await tree.Cluster.CreateDeploymentAsync("web");
        tree.Cluster.StartOperator();

        var alert = Alert("rows1", alertname: "DataIntegrityCheckFailed", severity: "warning");
        Assert.Equal(HttpStatusCode.OK, (await tree.PostAsync(Group("{}:{alertname=\"DataIntegrityCheckFailed\"}", alert))).Code);

        var incident = await tree.Cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated);
        Assert.Equal(SignalType.DataIssue, incident.Spec.Signal.Type);
        HandedToPeopleBy(incident, "data-issue-to-humans");
        Assert.Empty(tree.Cluster.RollbackPatches("web"));
    }

    [Fact]
    public async Task Anything_else_goes_to_additional_engineers_with_no_action()
    {
        await using var tree = await StartWithSamplesAsync();
        await tree.Cluster.CreateDeploymentAsync("web");
        tree.Cluster.StartOperator();

        // An alert no route of the sample policy knows: an Alert signal, which no branch above takes.
        var alert = Alert("odd1", alertname: "SomethingUnusual");
        Assert.Equal(HttpStatusCode.OK, (await tree.PostAsync(Group("{}:{alertname=\"SomethingUnusual\"}", alert))).Code);

        var incident = await tree.Cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated);
        Assert.Equal(SignalType.Alert, incident.Spec.Signal.Type);
        HandedToPeopleBy(incident, "engage-additional-engineers");
        Assert.Empty(tree.Cluster.RollbackPatches("web"));
    }

    /// <summary>The incident of <paramref name="target"/> once an action of <paramref name="type"/> has been applied.</summary>
    private static Task<Incident> ActedAsync(IntakeHarness tree, string target, ActionType type) =>
        Eventually.ValueAsync(async () => (await tree.IncidentsAsync()).FirstOrDefault(i => i.Spec.TargetRef.Name == target
            && i.Status?.Actions?.Any(a => a.Type == type && a.Phase is ActionPhase.Running or ActionPhase.Succeeded) == true),
            $"an incident for {target} with a {type} applied", TimeSpan.FromSeconds(120));

    /// <summary>Exactly one action that changed something, of the branch's step and kind (a step skipped as not applicable changed nothing).</summary>
    private static ActionRecord OnlyAction(Incident incident, string step, ActionType type)
    {
        var action = Assert.Single(incident.Status!.Actions!, a => a.Phase != ActionPhase.Skipped);
        Assert.Equal((step, type), (action.Step, action.Type));
        return action;
    }

    /// <summary>No action at all: the incident was handed to people by the branch's Escalate step.</summary>
    private static void HandedToPeopleBy(Incident incident, string step)
    {
        Assert.Empty(incident.Status!.Actions ?? []);
        var escalated = Assert.Single(incident.Status.Conditions!, c => c.Type == Conditions.Escalated);
        Assert.Contains($"step {step}", escalated.Message, StringComparison.Ordinal);
    }

    /// <summary>The Alertmanager intake and a cluster with the shipped decision-tree Runbook and RemediationPolicy applied.</summary>
    private static async Task<IntakeHarness> StartWithSamplesAsync()
    {
        var tree = await IntakeHarness.StartAsync([OperatorCluster.Namespace]);
        (await tree.Cluster.Kubectl.RunAsync("apply", "-n", OperatorCluster.Namespace,
            "-f", RepositoryRoot.Combine("config/samples/runbook_decision_tree.yaml"),
            "-f", RepositoryRoot.Combine("config/samples/remediationpolicy_automatic.yaml"))).ShouldSucceed();
        return tree;
    }
}
