using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios.People;

/// <summary>
/// The incident's life driven the way on-call people drive it: with <c>kubectl incident</c>, installed by
/// <c>incident-responder plugin install</c> and found by the real kubectl. Each request names the person the API
/// server authenticated, and the operator acts on what it wrote.
/// </summary>
public sealed class KubectlIncidentLifecycleTests
{
    private const string Token = "dana-token";
    private const string Dana = "dana@example.com";

    [Fact]
    public async Task Declared_with_the_plugin_the_incident_is_triaged_runs_its_runbook_and_a_person_resolves_it_with_a_reason()
    {
        await using var cluster = await OperatorCluster.StartAsync(users: new Dictionary<string, string> { [Token] = Dana });
        using var home = new TemporaryDirectory();
        var plugin = await InstallAsync(cluster, home.Path);
        await cluster.ApplyRunbookAndPolicyAsync();
        await cluster.CreateDeploymentAsync("checkout");
        cluster.StartOperator();

        (await plugin.IncidentAsync("declare", "--target", "checkout", "--severity", "SEV-2", "--summary", "checkout answers 503 to a third of requests",
            "--signal", "ReadinessFailing", "--name", "checkout-503s")).ShouldSucceed();
        var escalated = await cluster.IncidentInPhaseAsync("checkout", IncidentPhase.Escalated);
        Assert.Equal(("checkout-503s", Severity.Sev2, Dana), (escalated.Metadata.Name, escalated.Status!.Severity, escalated.Status.People?.DeclaredBy));
        Assert.Equal(Manifests.RunbookName, escalated.Spec.RunbookRef?.Name);
        Assert.Contains(escalated.Status.Timeline!, e => e.Message == $"SEV-2 as declared by {Dana}");

        (await plugin.IncidentAsync("resolve", "checkout-503s", "--reason", "the payment provider recovered")).ShouldSucceed();
        var resolved = await cluster.IncidentInPhaseAsync("checkout", IncidentPhase.Resolved);

        Assert.Equal((Dana, "the payment provider recovered"), (resolved.Status!.People!.ClosedBy, resolved.Status.People.ClosedReason));
        Assert.Equal($"Resolved: resolved by {Dana}: the payment provider recovered", resolved.Status.Timeline!.Last(e => e.Type == TimelineEntryType.Phase).Message);
        var timeline = (await plugin.IncidentAsync("timeline", "checkout-503s")).ShouldSucceed().Stdout;
        Assert.Contains($"resolved by {Dana}: the payment provider recovered", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Escalated_then_acknowledged_and_handed_back_with_the_plugin_automation_rolls_back_again()
    {
        await using var cluster = await OperatorCluster.StartAsync(users: new Dictionary<string, string> { [Token] = Dana });
        using var home = new TemporaryDirectory();
        var plugin = await InstallAsync(cluster, home.Path);
        // Revision 1 never becomes ready, so rolling back to it cannot pass verification and the runbook escalates.
        await cluster.ApplyRunbookAndPolicyAsync(runbook: new RunbookSettings { UndoTo = "Previous", VerifyWindow = "1s", VerifyTimeout = "2s" });
        await cluster.Kubectl.ApplyAsync(WorkloadManifests.UnreadyWeb);
        cluster.StartOperator();

        await cluster.BadRolloutAsync("web", "crashloop");
        var name = (await cluster.IncidentInPhaseAsync("web", IncidentPhase.Escalated)).Metadata.Name;
        Assert.Single(cluster.RollbackPatches("web"));

        (await plugin.IncidentAsync("ack", name)).ShouldSucceed();
        var held = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Acknowledged);
        Assert.Equal(Dana, held.Status!.People!.HeldBy);
        Assert.Matches($@"\ndefault\s+{name}\s+SEV-\d\s+Acknowledged\s+web\s+CrashLoop\s+{System.Text.RegularExpressions.Regex.Escape(Dana)}\s",
            (await plugin.IncidentAsync("board")).ShouldSucceed().Stdout);

        // While Dana holds it, another bad image goes out: nothing acts until she hands the incident back.
        await cluster.BadRolloutAsync("web", "crashloop", image: "nginx:1.27");
        await Eventually.TrueAsync(async () => (await cluster.DeploymentAsync("web")).Metadata.Annotations?["deployment.kubernetes.io/revision"] == "4",
            "revision 4 rolled out");
        Assert.Single(cluster.RollbackPatches("web"));

        (await plugin.IncidentAsync("handback", name, "--reason", "the new image is bad too")).ShouldSucceed();
        await Eventually.TrueAsync(() => cluster.RollbackPatches("web").Count == 2, "a second rollback after the hand-back");
        var after = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Metadata.Name == name
            && i.Status?.Actions?.Count(a => a.Type == ActionType.RolloutUndo) == 2), "the second rollback recorded");
        Assert.Equal("4", after.Status!.Actions!.Last(a => a.Type == ActionType.RolloutUndo).Details!["fromRevision"]);
        Assert.Contains(after.Status.Timeline!, e => e.Message.StartsWith($"Handed back: handed back to automation by {Dana}: the new image is bad too", StringComparison.Ordinal));
    }

    private static Task<KubectlPlugin> InstallAsync(OperatorCluster cluster, string home) =>
        KubectlPlugin.InstallAsync(Path.Combine(AppContext.BaseDirectory, "incident-responder"), cluster.KubeconfigFor(Token, home), home);

    private sealed class TemporaryDirectory : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("kubectl-incident-");

        public string Path => _directory.FullName;

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
