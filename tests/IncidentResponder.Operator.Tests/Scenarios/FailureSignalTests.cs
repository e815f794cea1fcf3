using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Operator.Controllers;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>Each way a rollout fails becomes its own signal, and each ends the same way: rolled back and resolved.</summary>
public sealed class FailureSignalTests
{
    [Theory]
    [InlineData("imagepull", SignalType.ImagePull)]
    [InlineData("oom", SignalType.OOMKilled)]
    [InlineData("unready", SignalType.ReadinessFailing)]
    public async Task A_failing_new_revision_is_detected_as_its_signal_and_rolled_back(string fault, SignalType expected)
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        // Readiness needs a grace shorter than the test; the other signals keep the default 30 s so it cannot interfere.
        cluster.StartOperator(OperatorCluster.FastOptions() with { Policy = new PolicyOverrides { ReadinessGrace = fault == "unready" ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(30) } });

        await cluster.BadRolloutAsync("web", fault);
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Contains(incident.Status!.Signals!, s => s.Type == expected);
        Assert.Equal(ActionPhase.Succeeded, Assert.Single(incident.Status.Actions!).Phase);
        Assert.Equal("nginx:1.25", (await cluster.DeploymentAsync("web")).Spec.Template.Spec.Containers[0].Image);
        Assert.Single(cluster.RollbackPatches("web"));
    }

    [Fact]
    public async Task A_progress_deadline_exceeded_without_any_pod_signal_is_a_rollout_stuck_and_rolled_back()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web");
        // Unready pods within the 30 s readiness grace show no pod signal; only the 2 s progress deadline can fire.
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "unready", progressDeadlineSeconds: 2);
        var incident = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        Assert.Equal(SignalType.RolloutStuck, incident.Spec.Signal.Type);
        Assert.Equal("ProgressDeadlineExceeded", incident.Spec.Signal.Reason);
        Assert.DoesNotContain(incident.Status!.Signals!, s => s.Type == SignalType.ReadinessFailing);
        Assert.Single(cluster.RollbackPatches("web"));
    }

    [Fact]
    public async Task One_flaky_pod_of_four_opens_nothing()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("web", replicas: 4);
        var operatorInstance = cluster.StartOperator();

        var pod = (await cluster.Kubectl.RunAsync("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[0].metadata.name}")).ShouldSucceed().Stdout;
        (await cluster.Kubectl.RunAsync("annotate", "pod", pod, "sim.incidentresponder.dev/fault=crashloop")).ShouldSucceed();
        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync("get", "pod", pod, "--no-headers")).Stdout.Contains("CrashLoopBackOff", StringComparison.Ordinal),
            "the annotated pod crash-looping");
        var crashing = DateTimeOffset.UtcNow;

        // The detector must have looked at the target after the flaky pod had failed for longer than the hold period.
        await Eventually.TrueAsync(() => operatorInstance.Instance.LastDetection(OperatorCluster.Namespace, "web") is { } last && last.At > crashing + TimeSpan.FromSeconds(2),
            "a detection pass more than holdFor after the pod started crash-looping");
        Assert.Equal(0, operatorInstance.Instance.LastDetection(OperatorCluster.Namespace, "web")!.Confirmed);
        Assert.Empty(await cluster.IncidentsAsync());
        Assert.Empty(cluster.RollbackPatches("web"));
    }
}
