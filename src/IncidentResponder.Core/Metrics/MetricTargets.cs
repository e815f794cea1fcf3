using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Detection;

namespace IncidentResponder.Core.Metrics;

/// <summary>One check's queries for one Deployment: the serving revision's, and the previous revision's to compare with.</summary>
/// <param name="Revision">The serving revision, when known.</param>
/// <param name="Previous">The query filled for the revision before it; only after a recent rollout, and only for a per-revision query.</param>
public sealed record CheckQueries(MetricCheck Check, long? Revision, string Current, string? Previous, bool OnRollout);

/// <summary>
/// What to ask Prometheus for a Deployment. After a recent rollout the new revision is judged against the one before
/// it (the rollback path owns what it finds); on a stable revision the check runs on its own (the stable path).
/// </summary>
public static class MetricTargets
{
    public static IReadOnlyList<CheckQueries> Plan(MetricsSettings metrics, DetectionInput observed, bool recentRollout)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(observed);
        var deployment = observed.Deployment;
        var current = RolloutRecency.NewReplicaSet(deployment, observed.ReplicaSets);
        var previous = current is null || !recentRollout
            ? null
            : observed.ReplicaSets.Where(rs => rs.Revision < current.Revision && rs.PodTemplateHash != current.PodTemplateHash)
                .OrderByDescending(rs => rs.Revision).FirstOrDefault();
        var plans = new List<CheckQueries>();
        foreach (var check in metrics.Checks)
        {
            var now = PromQlTemplate.Fill(check.Query, new TemplateValues(deployment.Namespace, deployment.Name, current?.Revision, current?.PodTemplateHash));
            if (now is null)
            {
                continue; // a per-revision query before the Deployment has a revision: nothing to ask yet
            }

            var before = previous is not null && PromQlTemplate.IsPerRevision(check.Query)
                ? PromQlTemplate.Fill(check.Query, new TemplateValues(deployment.Namespace, deployment.Name, previous.Revision, previous.PodTemplateHash))
                : null;
            plans.Add(new CheckQueries(check, current?.Revision, now, before, recentRollout && current is not null));
        }

        return plans;
    }
}
