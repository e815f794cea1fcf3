using IncidentResponder.E2E.Tests.Support;

[assembly: AssemblyFixture(typeof(K3dCluster))]

namespace IncidentResponder.E2E.Tests;

/// <summary>
/// What only a real kube-apiserver can prove: it accepts the generated CRDs (structural schemas, CEL rules within the
/// cost budget), enforces them with the same messages the simulator gives, and takes the install manifests as they are.
/// </summary>
public sealed class RealClusterInstallTests(K3dCluster cluster)
{
    private static readonly string Root = RepositoryRoot.Path;

    private static readonly string[] Crds = ["incidents.incidentresponder.dev", "runbooks.incidentresponder.dev", "remediationpolicies.incidentresponder.dev"];

    /// <summary>Invalid documents and a phrase of the message the apiserver must give (the simulator's tests use the same wording).</summary>
    public static TheoryData<string, string> Invalid => new()
    {
        {
            "apiVersion: incidentresponder.dev/v1alpha1\nkind: Incident\nmetadata: {name: bad-severity}\nspec: {targetRef: {name: web}, signal: {type: CrashLoop}, severity: SEV-9}\n",
            "spec.severity: Unsupported value: \"SEV-9\""
        },
        {
            "apiVersion: incidentresponder.dev/v1alpha1\nkind: Runbook\nmetadata: {name: dangling-goto}\nspec:\n  title: t\n  signals: [CrashLoop]\n  steps:\n  - {name: undo, action: {type: RolloutUndo}, onFailure: {action: GoTo, step: nowhere}}\n",
            "a step's onFailure.step must name another step of this runbook"
        },
        {
            "apiVersion: incidentresponder.dev/v1alpha1\nkind: Runbook\nmetadata: {name: scale-both}\nspec:\n  title: t\n  signals: [OOMKilled]\n  steps:\n  - {name: scale, action: {type: Scale, scale: {delta: 1, factor: 2}}}\n",
            "set exactly one of 'delta' (replicas to add) or 'factor' (multiply replicas)"
        },
        {
            "apiVersion: incidentresponder.dev/v1alpha1\nkind: RemediationPolicy\nmetadata: {name: negative-cooldown}\nspec:\n  signals: [{signal: CrashLoop, runbookRef: {name: rb}}]\n  guardrails: {cooldownPerTarget: -5m}\n",
            "spec.guardrails.cooldownPerTarget"
        },
    };

    [Fact]
    public async Task The_generated_crds_are_accepted_and_established()
    {
        cluster.SkipUnlessAvailable();
        (await cluster.KubectlAsync("apply", "-f", Path.Combine(Root, "config", "crd", "bases"))).ShouldSucceed("kubectl apply CRDs");
        foreach (var crd in Crds)
        {
            (await cluster.KubectlAsync("wait", "--for=condition=Established", $"crd/{crd}", "--timeout=60s")).ShouldSucceed($"wait for {crd}");
        }
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public async Task Invalid_resources_are_rejected_with_the_same_message(string document, string message)
    {
        cluster.SkipUnlessAvailable();
        await The_generated_crds_are_accepted_and_established();
        var file = Path.Combine(Path.GetTempPath(), $"invalid-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, document, TestContext.Current.CancellationToken);

        var result = await cluster.KubectlAsync("apply", "-f", file);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_samples_are_accepted_and_listed_under_the_category()
    {
        cluster.SkipUnlessAvailable();
        await The_generated_crds_are_accepted_and_established();
        (await cluster.KubectlAsync("apply", "-k", Path.Combine(Root, "config", "samples"), "-n", "default")).ShouldSucceed("kubectl apply samples");

        var listed = (await cluster.KubectlAsync("get", "incidentresponder", "-n", "default", "-o", "name")).ShouldSucceed("kubectl get incidentresponder");

        Assert.Contains("runbook.incidentresponder.dev/", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("remediationpolicy.incidentresponder.dev/", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains("incident.incidentresponder.dev/", listed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_install_passes_server_side_dry_run()
    {
        cluster.SkipUnlessAvailable();
        await The_generated_crds_are_accepted_and_established();

        // The namespace must exist for the dry run of its namespaced objects, exactly as on a first real install.
        (await cluster.KubectlAsync("create", "namespace", "incident-responder-system")).ShouldSucceed("create namespace");
        (await cluster.KubectlAsync("apply", "-k", Path.Combine(Root, "config", "default"), "--dry-run=server")).ShouldSucceed("apply -k config/default --dry-run=server");
    }
}
