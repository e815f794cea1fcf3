using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Rbac;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// A person approves the step an incident waits on with <c>kubectl incident approve</c> — the plugin installed with
/// <c>incident-responder plugin install</c> and found by the real kubectl — and the operator acts on it. The approval
/// names the person as the API server knows them, and every request the plugin made is one the on-call role grants.
/// </summary>
public sealed class KubectlIncidentApprovalTests
{
    private const string AliceToken = "alice-token";
    private const string Alice = "alice@example.com";

    [Fact]
    public async Task Require_approval_waits_then_acts_once_a_person_approves_with_kubectl_incident_approve()
    {
        await using var cluster = await OperatorCluster.StartAsync(users: new Dictionary<string, string> { [AliceToken] = Alice });
        var home = Directory.CreateTempSubdirectory("kubectl-incident-");
        try
        {
            var plugin = await KubectlPlugin.InstallAsync(Path.Combine(AppContext.BaseDirectory, "incident-responder"), cluster.KubeconfigFor(AliceToken, home.FullName), home.FullName);
            await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Mode = "RequireApproval" });
            await cluster.CreateDeploymentAsync("web");
            cluster.StartOperator();

            await cluster.BadRolloutAsync("web", "crashloop");
            var waiting = await cluster.IncidentInPhaseAsync("web", IncidentPhase.AwaitingApproval);
            var name = waiting.Metadata.Name;
            var board = (await plugin.IncidentAsync("board")).ShouldSucceed().Stdout;
            Assert.Matches($@"\ndefault\s+{name}\s+SEV-\d\s+AwaitingApproval\s+web\s+CrashLoop\s+automation\s+\d+[smh]\n", board);
            Assert.Empty(cluster.RollbackPatches("web"));

            var approved = (await plugin.IncidentAsync("approve", name, Manifests.RollbackStep)).ShouldSucceed().Stdout;
            var resolved = await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

            Assert.Equal($"incident.incidentresponder.dev/{name} approved step {Manifests.RollbackStep} by {Alice}\n", approved);
            var approval = Assert.Single(resolved.Spec.Approvals!);
            Assert.Equal((Manifests.RollbackStep, Alice), (approval.Step, approval.By));
            Assert.NotNull(approval.At);
            Assert.Equal(ActionPhase.Succeeded, Assert.Single(resolved.Status!.Actions!).Phase);
            Assert.Single(cluster.RollbackPatches("web"));

            var again = await plugin.IncidentAsync("approve", name, Manifests.RollbackStep);
            Assert.Equal((2, $"incident {name}: step {Manifests.RollbackStep} is already approved by {Alice}\n"), (again.ExitCode, again.Stderr));
        }
        finally
        {
            home.Delete(recursive: true);
        }

        AssertTheOnCallRoleCoversEveryRequestOf(cluster, Alice);
    }

    private static void AssertTheOnCallRoleCoversEveryRequestOf(OperatorCluster cluster, string user)
    {
        var onCall = RbacManifests.ClusterRoleGrants("config/rbac/on_call_role.yaml");
        var requests = cluster.Cluster.Hooks.AuditLog.Where(r => r.User == user && r.Resource is not null)
            .Select(r => new Permission(r.ApiGroup, r.Subresource is null ? r.Resource! : $"{r.Resource}/{r.Subresource}", r.Verb, r.Namespace) { Name = r.Name })
            .ToHashSet();

        Assert.Contains(requests, r => r is { ApiGroup: "authentication.k8s.io", Resource: "selfsubjectreviews", Verb: "create" });
        Assert.Contains(requests, r => r is { Resource: Incident.Plural, Verb: "patch" });
        var missing = requests.Where(r => !onCall.Any(g => g.Covers(r))).Select(r => r.ToString()).Order().ToList();
        Assert.True(missing.Count == 0, "kubectl incident made requests the on-call role does not grant:\n  " + string.Join("\n  ", missing));
    }
}
