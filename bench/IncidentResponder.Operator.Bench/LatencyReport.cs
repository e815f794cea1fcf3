using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator;

namespace IncidentResponder.Operator.Bench;

/// <summary>What happened to one injected rollout, measured from its clear signal plus the policy's holdFor.</summary>
/// <param name="IncidentLatency">To the API server committing the operator's Incident create; null if none.</param>
/// <param name="RollbackLatency">To the API server answering 200 to the operator's rollback patch (not a dry run); null if none.</param>
/// <param name="WatchLatency">From the clear write's commit to a bare watch receiving it; null if it did not arrive.</param>
internal sealed record RolloutOutcome(InjectedRollout Rollout, TimeSpan? IncidentLatency, TimeSpan? RollbackLatency, TimeSpan? WatchLatency);

/// <summary>All the measurements of one run, joined from the injector's commit times, the audit log and the bare watch.</summary>
internal sealed record LatencyReport(
    IReadOnlyList<RolloutOutcome> Outcomes,
    IReadOnlyList<TimeSpan> RolloutPodWatchLatencies,
    IReadOnlyList<TimeSpan> ChurnWatchLatencies,
    int ChurnWritesNotReceived,
    IReadOnlyList<string> UnexpectedIncidents)
{
    public static LatencyReport Build(
        IReadOnlyList<InjectedRollout> rollouts,
        IReadOnlyList<AuditRecord> audit,
        IReadOnlyList<Incident> incidents,
        IncidentCreationClock incidentClock,
        CommitLog commits,
        PodWatchRecorder watch,
        TimeSpan holdFor)
    {
        var injected = rollouts.Select(r => (r.Target.Namespace, r.Target.Name)).ToHashSet();
        var incidentOf = incidents
            .GroupBy(i => (i.Metadata.NamespaceProperty, i.Spec.TargetRef.Name))
            .ToDictionary(g => g.Key, g => g.Select(i => i.Metadata.Name).ToHashSet(StringComparer.Ordinal));
        var outcomes = rollouts.Select(r =>
        {
            var key = (r.Target.Namespace, r.Target.Name);
            var signalAt = r.ClearAt + holdFor;
            var names = incidentOf.TryGetValue(key, out var found) ? found : [];
            var created = names.Select(n => incidentClock.Created.TryGetValue((r.Target.Namespace, n), out var at) ? at : (DateTimeOffset?)null).Min();
            var patched = audit.Where(a => a is { Verb: "patch", Resource: "deployments", Subresource: null, StatusCode: 200 }
                    && a.Namespace == r.Target.Namespace && a.Name == r.Target.Name
                    && !a.Path.Contains("dryRun", StringComparison.Ordinal))
                .Select(a => (DateTimeOffset?)a.Time).Min();
            TimeSpan? watched = watch.Received.TryGetValue(r.ClearResourceVersion, out var received) ? received - r.ClearAt : null;
            return new RolloutOutcome(r, created - signalAt, patched - signalAt, watched);
        }).ToList();

        var rolloutPods = new List<TimeSpan>();
        var churn = new List<TimeSpan>();
        var churnMissing = 0;
        foreach (var (rv, commit) in commits.Commits)
        {
            if (watch.Received.TryGetValue(rv, out var received))
            {
                (commit.Source == WriteSource.Churn ? churn : rolloutPods).Add(received - commit.At);
            }
            else if (commit.Source == WriteSource.Churn)
            {
                churnMissing++;
            }
        }

        var unexpected = incidents.Where(i => !injected.Contains((i.Metadata.NamespaceProperty, i.Spec.TargetRef.Name)))
            .Select(i => $"{i.Metadata.NamespaceProperty}/{i.Metadata.Name}").ToList();
        return new LatencyReport(outcomes, rolloutPods, churn, churnMissing, unexpected);
    }
}
