using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Runtime.Controllers;
using IncidentResponder.Runtime.Status;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>
/// The notification controller's reconciles driven by hand under a fake clock, against the simulated API server and
/// a real Slack receiver: the declared update, silence until the cadence, a periodic update, an update on an action
/// that restarts the clock, the resolution, and a failed delivery backing off.
/// </summary>
public sealed class CadenceControllerTests
{
    private const string IncidentName = "checkout-outage";
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 14, 23, 0, TimeSpan.Zero);

    [Fact]
    public async Task Updates_come_on_open_then_every_fifteen_minutes_for_sev1_counted_from_the_last_update_until_resolution()
    {
        await using var slack = await Receiver.StartAsync();
        await using var world = await World.StartAsync(slack);

        Assert.Equal(TimeSpan.FromMinutes(15), await world.ReconcileAsync());
        var declared = Assert.Single(slack.Requests).Json;
        Assert.StartsWith("INCIDENT DECLARED — SEV-1", declared["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Next update: 14:38 UTC (15 minutes)", declared["text"]!.GetValue<string>(), StringComparison.Ordinal);

        world.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(TimeSpan.FromMinutes(1), await world.ReconcileAsync());
        Assert.Single(slack.Requests);

        world.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromMinutes(15), await world.ReconcileAsync());
        var periodic = slack.Requests[1].Json["text"]!.GetValue<string>();
        Assert.StartsWith("INCIDENT UPDATE — SEV-1", periodic, StringComparison.Ordinal);
        Assert.Contains("Changed: nothing since the last update", periodic, StringComparison.Ordinal);
        Assert.Contains("Next update: 14:53 UTC (15 minutes)", periodic, StringComparison.Ordinal);

        // An action 5 minutes later is an update of its own, and the next periodic one counts from it.
        world.Clock.Advance(TimeSpan.FromMinutes(5));
        await world.PatchStatusAsync(s =>
        {
            s.Phase = IncidentPhase.Mitigating;
            s.Actions = [new ActionRecord { Step = "rollback", Type = ActionType.RolloutUndo, Phase = ActionPhase.Running, Attempt = 1, StartedAt = world.Clock.GetUtcNow().UtcDateTime, Message = "rolled back to revision 3" }];
        });
        Assert.Equal(TimeSpan.FromMinutes(15), await world.ReconcileAsync());
        var action = slack.Requests[2].Json["text"]!.GetValue<string>();
        Assert.Contains("rollback (RolloutUndo) applied, verifying: rolled back to revision 3", action, StringComparison.Ordinal);
        Assert.Contains("Next update: 14:58 UTC (15 minutes)", action, StringComparison.Ordinal);

        world.Clock.Advance(TimeSpan.FromMinutes(3));
        await world.PatchStatusAsync(s =>
        {
            s.Phase = IncidentPhase.Resolved;
            s.ResolvedAt = world.Clock.GetUtcNow().UtcDateTime;
        });
        Assert.Null(await world.ReconcileAsync());
        Assert.StartsWith("INCIDENT RESOLVED — SEV-1", slack.Requests[3].Json["text"]!.GetValue<string>(), StringComparison.Ordinal);

        world.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Null(await world.ReconcileAsync());
        Assert.Equal(4, slack.Requests.Count);

        var record = Assert.Single((await world.IncidentAsync()).Status!.Notifications!);
        Assert.Equal(4, record.UpdatesSent);
        Assert.Equal("resolved", record.LastMoment);
        Assert.Equal(Start.AddMinutes(23).UtcDateTime, record.LastSentAt);
        Assert.Null(record.NextUpdateAt);
    }

    [Fact]
    public async Task A_failed_delivery_is_retried_when_its_back_off_ends_and_the_recovery_is_recorded()
    {
        await using var slack = await Receiver.StartAsync();
        slack.Otherwise = new Answer(503);
        await using var world = await World.StartAsync(slack);

        Assert.Equal(TimeSpan.FromSeconds(30), await world.ReconcileAsync());
        var failed = Assert.Single((await world.IncidentAsync()).Status!.Notifications!);
        Assert.Equal(1, failed.ConsecutiveFailures);
        Assert.Equal("HTTP 503 after 2 attempt(s)", failed.LastError);

        world.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(20), await world.ReconcileAsync());
        Assert.Equal(2, slack.Requests.Count); // nothing sent during the back-off

        slack.Otherwise = new Answer(200);
        world.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(TimeSpan.FromMinutes(15), await world.ReconcileAsync());
        var incident = await world.IncidentAsync();
        var record = Assert.Single(incident.Status!.Notifications!);
        Assert.Equal(0, record.ConsecutiveFailures);
        Assert.Equal(1, record.UpdatesSent);
        Assert.Contains(incident.Status.Timeline!, e => e.Message == "Notified slack (Slack): INCIDENT DECLARED — SEV-1, after 1 failed delivery");
    }

    [Fact]
    public async Task A_secret_the_operator_may_not_read_is_a_failure_that_names_the_missing_role_and_sends_nothing()
    {
        await using var slack = await Receiver.StartAsync();
        await using var world = await World.StartAsync(slack);
        // What the API server answers when the opt-in secret-reader Role is not bound in the namespace.
        using var forbidden = world.Cluster.Cluster.Hooks.InjectFault(new IncidentResponder.Simulator.FaultRule { Verb = "get", Resource = "secrets", StatusCode = 403 });

        Assert.Equal(TimeSpan.FromSeconds(30), await world.ReconcileAsync());

        Assert.Empty(slack.Requests);
        var record = Assert.Single((await world.IncidentAsync()).Status!.Notifications!);
        Assert.Equal("reading Secret default/notify is forbidden: enable the secret-reader Role in namespace default", record.LastError);
        Assert.Equal(1, await world.MetricAsync("incident_responder_notification_failures_total", "target_type=\"slack\"", "reason=\"secret_forbidden\""));
    }

    /// <summary>The cluster, the incident, the policy, and the controller on a fake clock.</summary>
    private sealed class World : IAsyncDisposable
    {
        private readonly OperatorCluster _cluster;
        private readonly SnapshotCache _snapshot;
        private readonly NotificationReconciler _controller;
        private readonly CustomObjectClient<Incident> _incidents;

        private World(OperatorCluster cluster)
        {
            _cluster = cluster;
            _snapshot = new SnapshotCache(cluster.Client, OperatorCluster.Namespace);
            _incidents = new CustomObjectClient<Incident>(cluster.Client, GroupVersion.Group, GroupVersion.Version, Incident.Plural);
            var options = NotificationScenario.FastDelivery;
            Registry = Prometheus.Metrics.NewCustomRegistry();
            _controller = new NotificationReconciler(
                _snapshot.Cache,
                new PolicyResolver(_snapshot.Cache, OperatorCluster.FastOptions().Policy),
                new NotificationSender(new TargetSecret(cluster.Client), new DeliveryPipeline(new HttpClient(), options)),
                _incidents,
                new StatusWriter<Incident>(_incidents, NullLogger.Instance),
                new NotificationMetrics(Registry),
                new NotifierHealth(Clock, options.HealthWindow),
                options,
                Clock,
                NullLogger<NotificationReconciler>.Instance);
        }

        public FakeTimeProvider Clock { get; } = new(Start);

        public OperatorCluster Cluster => _cluster;

        private Prometheus.CollectorRegistry Registry { get; }

        public Task<double> MetricAsync(string family, params string[] labels) => NotificationScenario.MetricAsync(Registry, family, labels);

        public static async Task<World> StartAsync(Receiver slack)
        {
            var cluster = await OperatorCluster.StartAsync();
            await cluster.Kubectl.ApplyAsync(NotificationManifests.Secret(new Dictionary<string, string> { ["slack-url"] = slack.Url }) + "\n---\n"
                + NotificationManifests.RunbookAndPolicy([new TargetManifest("slack", "Slack", NotificationManifests.SecretName, "slack-url")]));
            var world = new World(cluster);
            var incident = new Incident
            {
                Metadata = new V1ObjectMeta { Name = IncidentName, NamespaceProperty = OperatorCluster.Namespace },
                Spec = new IncidentSpec
                {
                    TargetRef = new TargetReference { Name = "checkout" },
                    Signal = new Signal { Type = SignalType.ReadinessFailing, Message = "3 of 4 pods unready" },
                    Severity = Severity.Sev1,
                    Summary = "Checkout returns 503 for 30% of requests",
                    PolicyRef = new LocalObjectReference { Name = Manifests.PolicyName },
                    RunbookRef = new LocalObjectReference { Name = Manifests.RunbookName },
                    Source = IncidentSource.Manual,
                },
            };
            await cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync(incident, GroupVersion.Group, GroupVersion.Version,
                OperatorCluster.Namespace, Incident.Plural, cancellationToken: TestContext.Current.CancellationToken);
            await world.PatchStatusAsync(s =>
            {
                s.Phase = IncidentPhase.Detected;
                s.Severity = Severity.Sev1;
                s.DetectedAt = Start.UtcDateTime;
                s.OpenedAt = Start.UtcDateTime;
            });
            return world;
        }

        /// <summary>One reconcile on a fresh snapshot; the requeue delay (null: done).</summary>
        public async Task<TimeSpan?> ReconcileAsync()
        {
            await _snapshot.SyncAsync();
            var result = await _controller.ReconcileAsync(new ReconcileRequest(OperatorCluster.Namespace, IncidentName), TestContext.Current.CancellationToken);
            return result.RequeueAfterDelay;
        }

        public async Task<Incident> IncidentAsync() =>
            (await _incidents.GetAsync(OperatorCluster.Namespace, IncidentName, TestContext.Current.CancellationToken))!;

        /// <summary>Changes the status as the incident controller would.</summary>
        public async Task PatchStatusAsync(Action<IncidentStatus> change) =>
            await new StatusWriter<Incident>(_incidents, NullLogger.Instance).UpdateAsync(await IncidentAsync(), i =>
            {
                i.Status ??= new IncidentStatus();
                change(i.Status);
            }, TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();
    }
}
