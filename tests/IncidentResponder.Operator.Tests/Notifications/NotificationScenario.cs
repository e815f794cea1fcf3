using IncidentResponder.Core.Egress;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Notifications;

/// <summary>A simulated cluster with a notifying policy, a healthy Deployment "web", and the operator running.</summary>
internal static class NotificationScenario
{
    public const string Deployment = "web";

    /// <summary>Retries in milliseconds instead of seconds; everything else as in production.</summary>
    public static readonly NotificationOptions FastDelivery = new()
    {
        Retries = 1,
        FirstRetryDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        // The receivers run on loopback, which the egress policy refuses unless the admin allows it.
        Egress = new EgressPolicy { Allow = ["127.0.0.1"] },
    };

    public static async Task<(OperatorCluster Cluster, RunningOperator Operator)> StartAsync(
        IReadOnlyList<TargetManifest> targets, IReadOnlyDictionary<string, string> secret, NotificationOptions? delivery = null, PolicySettings? policy = null)
    {
        var cluster = await OperatorCluster.StartAsync();
        await cluster.Kubectl.ApplyAsync(NotificationManifests.Secret(secret) + "\n---\n" + NotificationManifests.RunbookAndPolicy(targets, policy: policy));
        await cluster.CreateDeploymentAsync(Deployment);
        var running = cluster.StartOperator(OperatorCluster.FastOptions().Configure<NotificationFeature>(f => f with { Options = delivery ?? FastDelivery }));
        return (cluster, running);
    }

    /// <summary>The value of one sample of a metric family, e.g. ("incident_responder_notifications_total", "target_type=\"slack\"", "outcome=\"sent\"").</summary>
    public static Task<double> MetricAsync(RunningOperator running, string family, params string[] labels) =>
        MetricAsync(running.Instance.Metrics.Registry, family, labels);

    public static async Task<double> MetricAsync(Prometheus.CollectorRegistry registry, string family, params string[] labels)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(family + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static NotificationRecord Record(Incident incident, string target) =>
        Assert.Single(incident.Status?.Notifications ?? [], r => r.Target == target);
}
