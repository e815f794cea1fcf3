using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;
using IncidentResponder.Simulator;
using k8s;

namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>
/// One bad rollout's moments. Crossing: the first scrape after which the filled check query is above the threshold;
/// signal due: crossing + the check's <c>for</c>; Incident: its create commit at the API server; rollback: the
/// operator's accepted patch of the Deployment in the audit log. Null: not seen.
/// </summary>
internal sealed record RolloutOutcome(string Namespace, string Name, DateTimeOffset Patched, DateTimeOffset? Crossing, DateTimeOffset? SignalDue, DateTimeOffset? Incident, DateTimeOffset? Rollback)
{
    public TimeSpan? DueToIncident => Incident - SignalDue;

    public TimeSpan? DueToRollback => Rollback - SignalDue;
}

/// <summary>Makes the bad rollouts and, afterwards, reads each one's moments from where they are recorded.</summary>
internal sealed class MetricsTimeline(SimulatorHooks hooks, IncidentCreationClock incidents, IKubernetes admin, PrometheusProcess prometheus, MetricsSettings settings)
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), DateTimeOffset> _patched = new();

    public async Task BadRolloutAsync((string Namespace, string Name) target, CancellationToken cancellationToken)
    {
        var before = DateTimeOffset.UtcNow;
        await admin.AppsV1.PatchNamespacedDeploymentAsync(MetricsWorld.BadRollout(), target.Name, target.Namespace, fieldManager: MetricsWorld.FieldManager, cancellationToken: cancellationToken).ConfigureAwait(false);
        _patched[target] = before;
    }

    public bool RolledBack((string Namespace, string Name) target) => RollbackTime(target) is not null;

    public async Task<IReadOnlyList<RolloutOutcome>> OutcomesAsync(CancellationToken cancellationToken)
    {
        var step = settings.ScrapeInterval;
        var hold = GoDuration.Parse(settings.For);
        var lastScrape = await LastScrapeAsync(cancellationToken).ConfigureAwait(false);
        var byTarget = await IncidentCreatedByTargetAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new List<RolloutOutcome>();
        foreach (var (target, patched) in _patched.OrderBy(p => p.Value))
        {
            // Evaluate at the scrape timestamps themselves (the same offset in every interval): the first one above
            // the threshold is the scrape that made the query cross, with no rounding up to a later grid point.
            var start = lastScrape - TimeSpan.FromTicks(((lastScrape - patched).Ticks / step.Ticks + 1) * step.Ticks);
            var hash = await BadRevisionHashAsync(target, cancellationToken).ConfigureAwait(false);
            var crossing = hash is null ? null : await prometheus.FirstAboveAsync(MetricsWorld.Filled(target.Namespace, target.Name, hash), MetricsWorld.Threshold,
                start, lastScrape, step, cancellationToken).ConfigureAwait(false);
            outcomes.Add(new RolloutOutcome(target.Namespace, target.Name, patched, crossing, crossing + hold, byTarget.GetValueOrDefault(target), RollbackTime(target)));
        }

        return outcomes;
    }

    /// <summary>The operator's first accepted, not dry-run patch of the Deployment after the bench's own bad rollout.</summary>
    private DateTimeOffset? RollbackTime((string Namespace, string Name) target) =>
        _patched.TryGetValue(target, out var patched)
            ? hooks.AuditLog.Where(r => r is { Verb: "patch", Resource: "deployments", Subresource: null, StatusCode: 200 }
                    && r.Namespace == target.Namespace && r.Name == target.Name && r.Time >= patched
                    && !r.Path.Contains("dryRun", StringComparison.Ordinal)
                    && !r.Path.Contains("fieldManager=" + MetricsWorld.FieldManager, StringComparison.Ordinal))
                .Select(r => (DateTimeOffset?)r.Time).Min()
            : null;

    /// <summary>The timestamp of the simulator target's latest scrape; every scrape is a whole number of intervals from it.</summary>
    private async Task<DateTimeOffset> LastScrapeAsync(CancellationToken cancellationToken)
    {
        var up = await prometheus.QueryAsync("timestamp(up{job=\"simulator\"})", cancellationToken).ConfigureAwait(false);
        return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(PrometheusProcess.Value(up.Single()) * 1000));
    }

    /// <summary>The pod-template-hash of the bad revision (2), which the operator fills into the check's query.</summary>
    private async Task<string?> BadRevisionHashAsync((string Namespace, string Name) target, CancellationToken cancellationToken)
    {
        var sets = await admin.AppsV1.ListNamespacedReplicaSetAsync(target.Namespace, labelSelector: $"app={target.Name}", cancellationToken: cancellationToken).ConfigureAwait(false);
        return sets.Items.FirstOrDefault(rs => rs.Metadata.Annotations?.TryGetValue("deployment.kubernetes.io/revision", out var revision) == true && revision == "2")
            ?.Metadata.Labels["pod-template-hash"];
    }

    /// <summary>Each target's first Incident's create commit time.</summary>
    private async Task<Dictionary<(string, string), DateTimeOffset>> IncidentCreatedByTargetAsync(CancellationToken cancellationToken)
    {
        var created = new Dictionary<(string, string), DateTimeOffset>();
        foreach (var ns in _patched.Keys.Select(k => k.Namespace).Distinct())
        {
            var list = await admin.CustomObjects.ListNamespacedCustomObjectAsync<JsonObject>(GroupVersion.Group, GroupVersion.Version, ns, Incident.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var item in list["items"]!.AsArray())
            {
                var target = (ns, (string)item!["spec"]!["targetRef"]!["name"]!);
                if (incidents.Created.TryGetValue((ns, (string)item["metadata"]!["name"]!), out var at) && (!created.TryGetValue(target, out var seen) || at < seen))
                {
                    created[target] = at;
                }
            }
        }

        return created;
    }
}
