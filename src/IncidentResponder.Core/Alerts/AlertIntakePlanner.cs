namespace IncidentResponder.Core.Alerts;

/// <summary>The alerts of one group that are about one Deployment: one incident.</summary>
/// <param name="Name">The incident's name (<see cref="AlertIncidentNames.For"/>).</param>
/// <param name="Firing">Firing alerts, oldest first: the first one opens the incident.</param>
public sealed record IncidentPlan(string Name, AlertTarget Target, IReadOnlyList<Alert> Firing, IReadOnlyList<Alert> Resolved)
{
    public string Namespace => Target.Namespace;

    /// <summary>Only firing alerts open an incident; resolved ones clear signals of one that exists.</summary>
    public bool CanOpen => Firing.Count > 0;
}

/// <summary>What a notification means for the cluster: the incidents it opens or updates, and the alerts it cannot place.</summary>
public sealed record AlertIntakePlan(AlertGroup Group, IReadOnlyList<IncidentPlan> Incidents, IReadOnlyList<MappedAlert> Unmapped);

/// <summary>
/// Decides a whole notification before anything is written: every alert is mapped (or found unmappable) first.
/// One group normally is one incident; a group that spans several Deployments (grouped by alertname alone) is one
/// incident per Deployment, because an Incident is about one target and its runbook acts on that target.
/// </summary>
public static class AlertIntakePlanner
{
    public static AlertIntakePlan Plan(AlertGroup group, TargetFacts facts)
    {
        ArgumentNullException.ThrowIfNull(group);
        var mapped = group.Alerts.Select(a => AlertTargetMapper.Map(a, facts)).ToList();
        var incidents = mapped.Where(m => m.Target is not null)
            .GroupBy(m => (m.Target!.Namespace, m.Target.Deployment.Name))
            .OrderBy(g => g.Key.Namespace, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => new IncidentPlan(
                AlertIncidentNames.For(group.GroupKey, g.Key.Namespace, g.Key.Name),
                g.First().Target!,
                Oldest(g.Where(m => m.Alert.Status == AlertStatus.Firing)),
                Oldest(g.Where(m => m.Alert.Status == AlertStatus.Resolved))))
            .ToList();
        return new AlertIntakePlan(group, incidents, [.. mapped.Where(m => m.Target is null)]);
    }

    private static List<Alert> Oldest(IEnumerable<MappedAlert> alerts) =>
        [.. alerts.Select(m => m.Alert).OrderBy(a => a.StartsAt).ThenBy(a => a.Fingerprint, StringComparer.Ordinal)];
}
