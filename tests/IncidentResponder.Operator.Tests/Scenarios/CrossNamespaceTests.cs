using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using k8s;

namespace IncidentResponder.Operator.Tests.Scenarios;

/// <summary>
/// "A policy naming another namespace's workload is rejected": a RemediationPolicy, its Runbooks and its Incidents
/// have no way to name another namespace. Every reference is a bare name (LocalObjectReference, SecretKeyReference,
/// TargetReference, ConfigMap / FeatureFlag names, an HPA found by scaleTargetRef in the target's namespace); the CRDs'
/// structural schemas have no namespace field to set and DNS-subdomain patterns refuse "ns/name". So an attempt is
/// rejected by the API server, and the operator resolves every name in the policy's own namespace.
/// </summary>
public sealed class CrossNamespaceTests
{
    private const string OtherNamespace = "team-b";

    public static TheoryData<string, string, string> Attempts() => new()
    {
        {
            "a runbookRef in another namespace",
            Policy("signals: [{signal: OOMKilled, runbookRef: {name: scale-out, namespace: team-b}}]"),
            "unknown field \"spec.signals[0].runbookRef.namespace\""
        },
        {
            "a selector with a namespace",
            Policy("selector: {matchLabels: {app: api}, namespace: team-b}\n  signals: [{signal: OOMKilled, runbookRef: {name: scale-out}}]"),
            "unknown field \"spec.selector.namespace\""
        },
        {
            "a flag ConfigMap in another namespace",
            FlagRunbook("provider: ConfigMap, configMap: {name: flags, namespace: team-b}"),
            "unknown field \"spec.steps[0].action.featureFlag.configMap.namespace\""
        },
        {
            "a flag ConfigMap named namespace/name",
            FlagRunbook("provider: ConfigMap, configMap: {name: team-b/flags}"),
            "spec.steps[0].action.featureFlag.configMap.name: Invalid value: \"team-b/flags\""
        },
        {
            "an OpenFeature FeatureFlag in another namespace",
            FlagRunbook("provider: OpenFeature, openFeature: {name: shop-flags, namespace: team-b}"),
            "unknown field \"spec.steps[0].action.featureFlag.openFeature.namespace\""
        },
        {
            "an HTTP provider's Secret in another namespace",
            FlagRunbook("provider: Http, http: {url: 'http://127.0.0.1:9/flags', authSecretRef: {name: flag-service, key: authorization, namespace: team-b}}"),
            "unknown field \"spec.steps[0].action.featureFlag.http.authSecretRef.namespace\""
        },
        {
            "an Incident whose target is in another namespace",
            """
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Incident
            metadata: {name: reach-over}
            spec:
              targetRef: {kind: Deployment, name: api, namespace: team-b}
              signal: {type: OOMKilled}
              severity: SEV-3
            """,
            "unknown field \"spec.targetRef.namespace\""
        },
    };

    [Theory]
    [MemberData(nameof(Attempts))]
    public async Task The_api_server_rejects_a_reference_to_another_namespace(string attempt, string manifest, string expected)
    {
        await using var cluster = await OperatorCluster.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"cross-namespace-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, manifest, TestContext.Current.CancellationToken);
        try
        {
            var result = await cluster.Kubectl.RunAsync("apply", "-f", path);

            Assert.True(result.ExitCode != 0, $"{attempt} was accepted: {result.Stdout}");
            Assert.True(result.Stderr.Contains(expected, StringComparison.Ordinal), $"{attempt}: {result.Stderr}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_policy_acts_only_in_its_own_namespace_and_resolves_every_name_there()
    {
        await using var cluster = await OperatorCluster.StartAsync();
        // default: the policy, its runbook and an OOMing "web". team-b: no policy, an OOMing "api", and objects a
        // namespace mix-up would touch: a ConfigMap "flags" holding the runbook's flag and an HPA scaling a "web".
        await cluster.Kubectl.ApplyAsync(RunbookAndPolicy + "\n---\n" + ExhaustionManifests.Deployment("web") + "\n---\n" + OtherNamespaceObjects());
        foreach (var (ns, name) in new[] { (OperatorCluster.Namespace, "web"), (OtherNamespace, "api") })
        {
            (await cluster.Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "-n", ns, "--timeout=60s")).ShouldSucceed();
        }

        await cluster.RevisionSettledAsync("web");
        cluster.StartOperator(OperatorCluster.FastOptions() with { Namespaces = [OperatorCluster.Namespace, OtherNamespace] });

        // team-b's pods fail first, so by the time default's incident has acted the operator has long seen them.
        (await cluster.Kubectl.RunAsync("annotate", "pods", "-n", OtherNamespace, "-l", "app=api", $"{Simulator.Kubelet.FaultSpec.FaultAnnotation}=oom", "--overwrite")).ShouldSucceed();
        await cluster.OomRunningPodsAsync("web");
        var incident = await Eventually.ValueAsync(async () => (await cluster.IncidentsAsync()).FirstOrDefault(i =>
            i.Status?.Actions?.Any(a => a.Step == "scale-out" && a.Phase is ActionPhase.Running or ActionPhase.Succeeded) == true), "web scaled in default");

        // The flag step looked for ConfigMap "flags" in the policy's namespace only, and skipped with the reason.
        var flag = Assert.Single(incident.Status!.Actions!, a => a.Step == "disable-recommendations");
        Assert.Equal(ActionPhase.Skipped, flag.Phase);
        Assert.Contains("ConfigMap flags holding flag recommendations does not exist", flag.Message, StringComparison.Ordinal);
        // The scale went to default's web through its scale subresource: team-b's HPA of a "web" is not its HPA.
        Assert.Equal("ScaleDeployment", Assert.Single(incident.Status.Actions!, a => a.Step == "scale-out").Details!["change"]);
        Assert.Equal(4, (await cluster.DeploymentAsync("web")).Spec.Replicas);

        // Nothing in team-b: no incident, no write of any kind by the operator, every object as it was.
        var ct = TestContext.Current.CancellationToken;
        var otherIncidents = await cluster.Client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Incident>>(GroupVersion.Group,
            GroupVersion.Version, OtherNamespace, Incident.Plural, cancellationToken: ct);
        Assert.Empty(otherIncidents.Items);
        // Writes through the API are kubectl's (the test's) or the operator's: the simulated controllers write in-process.
        static bool ByOperator(Simulator.AuditRecord r) => r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true
            && r.Verb is "create" or "update" or "patch" or "delete";
        Assert.Contains(cluster.Cluster.Hooks.AuditLog, r => ByOperator(r) && r.Namespace == OperatorCluster.Namespace && r.Resource == "deployments");
        Assert.DoesNotContain(cluster.Cluster.Hooks.AuditLog, r => ByOperator(r) && r.Namespace == OtherNamespace);
        Assert.Equal(2, (await cluster.Client.AppsV1.ReadNamespacedDeploymentAsync("api", OtherNamespace, cancellationToken: ct)).Spec.Replicas);
        Assert.Equal("true", (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync("flags", OtherNamespace, cancellationToken: ct)).Data["recommendations"]);
        Assert.Equal(2, (await cluster.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", OtherNamespace, cancellationToken: ct)).Spec.MinReplicas);
    }

    private static string Policy(string spec) => $$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata: {name: reach-over}
        spec:
          {{spec}}
        """;

    private static string FlagRunbook(string provider) => $$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata: {name: reach-over}
        spec:
          title: Reach over
          signals: [OOMKilled]
          steps:
            - name: disable
              action: {type: FeatureFlag, featureFlag: {flag: recommendations, value: "false", {{provider}} } }
        """;

    /// <summary>Flip a flag kept in ConfigMap "flags" (which exists only in team-b), then scale: both name only bare names.</summary>
    private static readonly string RunbookAndPolicy = $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: cross
        spec:
          title: Out of memory
          severity: SEV-3
          signals: [OOMKilled]
          steps:
            - name: disable-recommendations
              when: {recentRollout: false}
              action: {type: FeatureFlag, featureFlag: {flag: recommendations, value: "false", provider: ConfigMap, configMap: {name: flags} } }
              verify: {window: 1s, timeout: 60s, checks: [Available, NoNewSignal]}
              onFailure: {action: NextStep}
            - name: scale-out
              action: {type: Scale, scale: {factor: 2}}
              verify: {window: 1s, timeout: 60s, checks: [Available, NoNewSignal]}
          escalation:
            contacts: ["@oncall"]
        ---
        {{{ExhaustionManifests.OomPolicy("cross", "{}", "maxReplicas: 6, allowedFlags: [recommendations]")}}}
        """;

    private static string OtherNamespaceObjects() => $$$"""
        apiVersion: v1
        kind: Namespace
        metadata: {name: {{{OtherNamespace}}} }
        ---
        {{{InNamespace(ExhaustionManifests.Deployment("api"))}}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: flags, namespace: {{{OtherNamespace}}} }
        data: {recommendations: "true"}
        ---
        {{{InNamespace(ExhaustionManifests.Hpa("web", min: 2, max: 3))}}}
        """;

    private static string InNamespace(string manifest)
    {
        var lines = manifest.Split('\n').ToList();
        var name = lines.FindIndex(l => l.TrimStart().StartsWith("name:", StringComparison.Ordinal));
        lines.Insert(name + 1, lines[name][..^lines[name].TrimStart().Length] + $"namespace: {OtherNamespace}");
        return string.Join('\n', lines);
    }
}
