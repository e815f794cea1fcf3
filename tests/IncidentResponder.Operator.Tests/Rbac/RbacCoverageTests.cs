using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.Intake;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Events;
using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Runtime.Metrics;
using IncidentResponder.Simulator;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using IncidentResponder.Operator.History;

namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>
/// Least privilege, checked against what the code really does: the operator runs a whole incident (detection, an
/// Incident opened, approval-free rollback, verification, resolution, Events, evidence and post-mortem ConfigMaps,
/// status of Runbooks and policies, the history store's finalizer) with leader election on, plus the exhaustion
/// actions, a CronJob's memory raise, the Alertmanager webhook and the pause of GitOps owners; the simulated API server records every request it makes, and the test
/// compares those requests with every Role and ClusterRole that config/default and the opt-in components bind to the
/// operator's ServiceAccount. It fails when a Role lacks
/// a permission the operator used, and when a Role grants one that nothing used — so a grant for a feature that does not
/// exist yet, or one a refactoring made unnecessary, cannot stay. Rare paths that need a permission of their own (the
/// re-read after a conflicting status write) are provoked with injected faults, so every run makes the same requests.
/// </summary>
public sealed class RbacCoverageTests
{
    // The operator's own namespace in this run: where it holds its Lease, as it does in incident-responder-system.
    private const string LeaseNamespace = "kube-system";

    private static readonly string[] StatusPlurals = [Incident.Plural, Runbook.Plural, RemediationPolicy.Plural];

    // The Alertmanager intake component's token Secret (config/components/alertmanager-intake), the one it may read.
    private const string WebhookTokenSecret = "incident-responder-alertmanager-token";

    [Fact]
    public async Task The_roles_grant_exactly_what_the_operator_uses()
    {
        // The history store's finalizer is one of the operator's requests, so the run records into a real PostgreSQL.
        if (PostgresServer.Unavailable() is { } noPostgres)
        {
            Assert.Skip(noPostgres);
        }

        await using var postgres = await PostgresServer.StartAsync();
        var history = await postgres.CreateDatabaseAsync("rbac");
        var cluster = await OperatorCluster.StartAsync(new Simulator.GitOps.GitOpsOptions());
        IReadOnlyList<Permission> granted;
        try
        {
            granted = await RbacManifests.OperatorGrantsAsync(cluster.Kubectl, operatorNamespace: LeaseNamespace, workloadNamespace: OperatorCluster.Namespace);
            await RunAWholeIncidentAsync(cluster, history);
        }
        finally
        {
            // The audit log records a request when it ends, so a watch still open would be missing from it. Shutting the
            // simulator down ends every watch and waits for every request in flight; the log is then complete.
            await cluster.DisposeAsync();
        }

        var used = UsedPermissions(cluster.Cluster);
        TestContext.Current.TestOutputHelper?.WriteLine("The operator's requests:\n  " + string.Join("\n  ", used.Select(p => p.ToString()).Order()));

        var missing = used.Where(request => !granted.Any(grant => grant.Covers(request))).Select(p => p.ToString()).Order().ToList();
        Assert.True(missing.Count == 0, "The operator made requests config/rbac does not grant:\n  " + string.Join("\n  ", missing));

        var unused = granted.Where(grant => !used.Any(grant.Covers)).Select(p => p.ToString()).Order().ToList();
        Assert.True(unused.Count == 0, "config/rbac grants permissions nothing used in this run (remove them, or exercise the feature here):\n  " + string.Join("\n  ", unused));
    }

    private static async Task RunAWholeIncidentAsync(OperatorCluster cluster, string historyDatabase)
    {
        // The rollback policy governs web only, so the exhaustion story below runs under its own policy.
        await cluster.ApplyRunbookAndPolicyAsync(new PolicySettings { Cooldown = "10m", SelectApp = "web" });
        await cluster.CreateDeploymentAsync("web");

        // A status write that loses a race (409) re-reads the object and tries again: the operator's only GETs of
        // incidents, runbooks and policies. No short run loses such a race by chance, so every status write answers 409
        // until the operator has re-read each kind; then the writes go through and the incident runs its course.
        var conflicts = StatusPlurals.Select(plural => cluster.Cluster.Hooks.InjectFault(new FaultRule
        {
            Verb = "patch", ApiGroup = GroupVersion.Group, Resource = plural, Subresource = "status", StatusCode = 409,
        })).ToList();
        var running = StartOperatorWithItsOwnUserAgent(cluster, historyDatabase);
        using var client = running.Client;
        await using var stop = running.Operator;
        await using var intake = await StartAlertmanagerIntakeAsync(cluster, client);
        try
        {
            await cluster.BadRolloutAsync("web", "crashloop");
            await Eventually.TrueAsync(
                () => StatusPlurals.All(plural => cluster.Cluster.Hooks.AuditLog.Any(r => IsFromOperator(r) && r is { Verb: "get", Subresource: null } && r.Resource == plural)),
                "the operator re-reading an incident, a runbook and a policy after a conflicting status write");
        }
        finally
        {
            conflicts.ForEach(conflict => conflict.Dispose());
        }

        await cluster.IncidentInPhaseAsync("web", IncidentPhase.Resolved);

        // A second bad rollout inside the cooldown: the refusal path (recorded, repeated Events aggregated).
        await cluster.BadRolloutAsync("web", "crashloop", image: "nginx:1.27");
        await Eventually.ValueAsync(
            async () => (await cluster.IncidentsAsync()).FirstOrDefault(i => i.Status?.Timeline?.Any(e => e.Message.Contains("[cooldown]", StringComparison.Ordinal)) == true),
            "an incident whose timeline records the cooldown refusal");
        await ScaleOnExhaustionAsync(cluster);
        await AlertsThroughTheWebhookAsync(cluster, intake);
        await ProbeThroughTheServiceProxyAsync(cluster);
        await GitOpsOwnersStory.RunAsync(cluster);
        await WorkloadsStory.RunAsync(cluster);
        await CronJobStory.RunAsync(cluster);

        // A deleted incident leaves only once the history store has its final record (the finalizer's patch).
        var deleted = (await cluster.IncidentsAsync()).First(i => i.Status?.Phase == IncidentPhase.Resolved).Metadata.Name;
        (await cluster.Kubectl.RunAsync("delete", "incident", deleted, "--wait=false")).ShouldSucceed();
        await Eventually.TrueAsync(async () => (await cluster.IncidentsAsync()).All(i => i.Metadata.Name != deleted), "the deleted incident gone once recorded");

        // A problem reported again within minutes becomes a series on one Event (a patch), not a new Event. No short
        // scenario repeats an Event that way, so drive the operator's own recorder, on the operator's client, twice.
        var recorder = new EventRecorder(new KubernetesEventSink(running.Client), "incident-responder", "rbac-test", TimeProvider.System, NullLogger.Instance);
        var deployment = await cluster.DeploymentAsync("web");
        var regarding = EventRecorder.Reference("apps/v1", "Deployment", deployment.Metadata);
        for (var i = 0; i < 2; i++)
        {
            await recorder.RecordAsync(regarding, "Warning", "ActionRefused", "Remediate", "refused: [cooldown]", TestContext.Current.CancellationToken);
        }
    }

    /// <summary>
    /// OOM kills on stable revisions: with a Scale runbook, api through deployments/scale (and the marker patch), batch
    /// through the HPA that manages it (HPA list, get and patch); with a FeatureFlag runbook, shop's flag in a
    /// ConfigMap (get before and after, patch), promo's flag in an OpenFeature FeatureFlag resource (get, patch), and
    /// mail's flag through an HTTP endpoint on loopback with an Authorization header from a Secret (get, granted only
    /// by the opt-in secret-reader component in the policy's namespace, never cluster-wide).
    /// </summary>
    private static async Task ScaleOnExhaustionAsync(OperatorCluster cluster)
    {
        await using var endpoint = await FlagEndpoint.StartAsync();
        await cluster.Kubectl.ApplyAsync(OpenFeatureManifests.Crd);
        await Eventually.TrueAsync(async () => (await cluster.Kubectl.RunAsync("get", "featureflags.core.openfeature.dev")).ExitCode == 0, "the FeatureFlag CRD served");
        await cluster.Kubectl.ApplyAsync(ExhaustionManifests.ScaleRunbookAndPolicy(selector: "{matchExpressions: [{key: app, operator: In, values: [api, batch, cache]}]}")
            + "\n---\n" + ExhaustionManifests.FlagRunbookAndPolicy(ExhaustionManifests.Flag, selector: "{matchLabels: {app: shop}}")
            + "\n---\n" + ExhaustionManifests.Deployment("api") + "\n---\n" + ExhaustionManifests.Deployment("shop")
            + "\n---\n" + ExhaustionManifests.Deployment("batch") + "\n---\n" + ExhaustionManifests.Hpa("batch", min: 2, max: 3)
            + "\n---\n" + OpenFeatureManifests.RunbookAndPolicy(OpenFeatureManifests.Flag, selector: "{matchLabels: {app: promo}}")
            + "\n---\n" + OpenFeatureManifests.FeatureFlag() + "\n---\n" + ExhaustionManifests.Deployment("promo")
            + "\n---\n" + HttpFlagManifests.RunbookPolicyAndSecret(endpoint.Url, retries: 0, selector: "{matchLabels: {app: mail}}", withAuth: true)
            + "\n---\n" + ExhaustionManifests.Deployment("mail")
            + "\n---\n" + WorkloadManifests.StatefulSet("cache", new StatefulSetShape { Replicas = 2, MemoryLimit = "64Mi" }));
        foreach (var name in new[] { "api", "batch", "shop", "promo", "mail" })
        {
            (await cluster.Kubectl.RunAsync("rollout", "status", $"deployment/{name}", "--timeout=60s")).ShouldSucceed();
            await cluster.RevisionSettledAsync(name);
            await cluster.OomRunningPodsAsync(name);
        }

        // A StatefulSet without volumeClaimTemplates scales through its own scale subresource.
        (await cluster.Kubectl.RunAsync("rollout", "status", "statefulset/cache", "--timeout=60s")).ShouldSucceed();
        await cluster.StatefulSetSettledAsync("cache");
        await cluster.OomRunningPodsAsync("cache");

        await Eventually.TrueAsync(
            async () => (await cluster.IncidentsAsync()).Count(i => i.Status?.Actions?.Any(a => a.Type is ActionType.Scale or ActionType.FeatureFlag
                && a.Phase is ActionPhase.Running or ActionPhase.Succeeded or ActionPhase.Failed) == true) == 6,
            "a Scale action applied to api, batch and the StatefulSet cache, and a flag flipped for shop, promo and mail");
    }

    /// <summary>
    /// Alertmanager notifications naming a pod (the intake maps it through its ReplicaSet to the Deployment) and a Service
    /// (through its selector), then their resolution: the intake's reads of pods, services and Deployments.
    /// </summary>
    private static async Task AlertsThroughTheWebhookAsync(OperatorCluster cluster, AlertmanagerEndpoint intake)
    {
        (await cluster.Kubectl.RunAsync("expose", "deployment", "api", "--port=80")).ShouldSucceed();
        var pod = (await cluster.Client.CoreV1.ListNamespacedPodAsync(OperatorCluster.Namespace, labelSelector: "app=shop",
            cancellationToken: TestContext.Current.CancellationToken)).Items.First().Metadata.Name;
        using var http = new HttpClient();
        foreach (var status in new[] { "firing", "resolved" })
        {
            var payload = AlertPayloads.Group("{}:{alertname=\"rbac\"}",
                AlertPayloads.Alert("rbac-pod", deployment: pod, label: "pod", status: status),
                AlertPayloads.Alert("rbac-service", deployment: "api", label: "service", status: status));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(intake.Address, AlertmanagerIntakeOptions.Path))
            {
                Content = new StringContent(payload.ToJsonString(), new System.Net.Http.Headers.MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WebhookToken);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.IsSuccessStatusCode, $"the intake answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }
    }

    /// <summary>A policy health probe of Deployment probed's Service: GETs through the API server's service proxy (services/proxy get).</summary>
    private static async Task ProbeThroughTheServiceProxyAsync(OperatorCluster cluster)
    {
        await cluster.CreateDeploymentAsync("probed", replicas: 1);
        (await cluster.Kubectl.RunAsync("expose", "deployment", "probed", "--port=80")).ShouldSucceed();
        await cluster.Kubectl.ApplyAsync($$$"""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata: {name: probed}
            spec:
              selector: {matchLabels: {app: probed}}
              signals: [{signal: HealthCheckFailing, runbookRef: {name: {{{Manifests.RunbookName}}} }}]
              probes: [{name: health, service: probed, path: /healthz, interval: 200ms}]
            """);
        await Eventually.TrueAsync(
            () => cluster.Cluster.Hooks.AuditLog.Any(r => IsFromOperator(r) && r is { Verb: "get", Resource: "services", Subresource: "proxy", StatusCode: 200 }),
            "the operator's probe of Service probed through the service proxy");
    }

    private const string WebhookToken = "rbac-webhook-token";

    /// <summary>The webhook as run --webhook-bind-address serves it, on the operator's client, its token in the operator's namespace.</summary>
    private static async Task<AlertmanagerEndpoint> StartAlertmanagerIntakeAsync(OperatorCluster cluster, IKubernetes operatorClient)
    {
        (await cluster.Kubectl.RunAsync("create", "secret", "generic", WebhookTokenSecret, "-n", LeaseNamespace, $"--from-literal=token={WebhookToken}")).ShouldSucceed();
        var options = new AlertmanagerIntakeOptions { Url = "http://127.0.0.1:0", TokenSecretNamespace = LeaseNamespace, TokenSecretName = WebhookTokenSecret };
        return await AlertmanagerEndpoint.StartAsync(operatorClient, options, [], RuntimeMetrics.CreateIsolated(),
            TestOutputLoggerProvider.Factory("intake"), TimeProvider.System, TestContext.Current.CancellationToken);
    }

    private sealed record OperatorUnderTest(RunningOperator Operator, IKubernetes Client);

    private static OperatorUnderTest StartOperatorWithItsOwnUserAgent(OperatorCluster cluster, string historyDatabase)
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig);
        configuration.UserAgent = OperatorAssembly.UserAgent;
        var client = new Kubernetes(configuration);
        var options = OperatorCluster.FastOptions().With(new HistoryFeature(historyDatabase)) with
        {
            LeaderElection = new LeaderElectionOptions
            {
                LeaseName = "incident-responder-leader",
                LeaseNamespace = LeaseNamespace,
                Identity = "rbac-test",
                LeaseDuration = TimeSpan.FromSeconds(4),
                RenewDeadline = TimeSpan.FromSeconds(3),
                RetryPeriod = TimeSpan.FromMilliseconds(500),
            },
        };
        var instance = OperatorAssembly.Create(client, options, TestOutputLoggerProvider.Factory("operator"), TimeProvider.System, new FailOnLeadershipLoss());
        return new OperatorUnderTest(new RunningOperator(instance), client);
    }

    /// <summary>What the operator asked of the API server, by RBAC's terms; a 403 would count too, so nothing hides.</summary>
    private static HashSet<Permission> UsedPermissions(SimulatedCluster cluster) =>
    [
        .. cluster.Hooks.AuditLog
            .Where(r => IsFromOperator(r) && r.Resource is not null)
            .Select(r => new Permission(r.ApiGroup, r.Subresource is null ? r.Resource! : $"{r.Resource}/{r.Subresource}", r.Verb, r.Namespace) { Name = r.Name }),
    ];

    private static bool IsFromOperator(AuditRecord request) =>
        request.UserAgent?.StartsWith(OperatorAssembly.UserAgent, StringComparison.Ordinal) == true;

    private sealed class FailOnLeadershipLoss : ILeadershipLossHandler
    {
        public void OnLeadershipLost() => Assert.Fail("the only operator instance lost its leadership during the RBAC run");
    }
}
