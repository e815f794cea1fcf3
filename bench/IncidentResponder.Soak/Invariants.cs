using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator;

namespace IncidentResponder.Soak;

/// <summary>What the soak did, and what the cluster recorded: the input of every invariant.</summary>
public sealed record SoakRecord(
    IReadOnlyList<InjectedRollout> Rollouts,
    IReadOnlyList<OperatorKill> Kills,
    IReadOnlyList<AuditRecord> Audit,
    IReadOnlyList<Incident> Incidents,
    IReadOnlyDictionary<string, long> FinalRevisions,
    IReadOnlySet<string> OperatorUsers,
    DateTimeOffset End);

/// <summary>
/// The soak's invariants, judged after the run from the simulator's audit log and the final state. Each returns the
/// violations it found (empty when it held), in words that name the object and the time.
/// </summary>
public static class Invariants
{
    /// <summary>A leader renews well within this; a write later than this after its own last Lease write is not a leader's.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    private static readonly HashSet<string> Writes = ["create", "update", "patch", "delete", "deletecollection"];

    public static IReadOnlyList<(string Name, IReadOnlyList<string> Violations)> Check(SoakRecord record) =>
    [
        ("each bad rollout: one Incident, one rollback patch, revision up by exactly one", OneIncidentAndOneRollbackPerBadRollout(record)),
        ("no workload write without its intent recorded first", IntentBeforeEveryRollback(record)),
        ("no write from an operator that did not hold the Lease", OnlyTheLeaderWrites(record)),
        ("every Incident terminal or still verifying", IncidentsSettled(record)),
        ("no flaky pod opens an Incident", NoIncidentForFlakyPods(record)),
    ];

    /// <summary>The operator's rollback patches of one Deployment (not dry runs), in time order.</summary>
    public static IEnumerable<AuditRecord> RollbackPatches(SoakRecord record, string deployment) =>
        record.Audit.Where(r => r is { Verb: "patch", Resource: "deployments", Subresource: null } && r.StatusCode is >= 200 and < 300
            && r.Name == deployment && r.User is { } user && record.OperatorUsers.Contains(user)
            && !r.Path.Contains("dryRun", StringComparison.Ordinal)).OrderBy(r => r.Time);

    private static IReadOnlyList<string> OneIncidentAndOneRollbackPerBadRollout(SoakRecord record)
    {
        var violations = new List<string>();
        foreach (var group in record.Rollouts.GroupBy(r => r.Deployment))
        {
            var rollouts = group.OrderBy(r => r.At).ToList();
            for (var i = 0; i < rollouts.Count; i++)
            {
                var rollout = rollouts[i];
                var until = i + 1 < rollouts.Count ? rollouts[i + 1].At : record.End;
                var bad = rollout.RevisionBefore + 1;
                var incidents = record.Incidents.Count(x => x.Spec.TargetRef.Name == rollout.Deployment && x.Status?.Change?.FailingRevision == bad);
                var patches = RollbackPatches(record, rollout.Deployment).Count(p => p.Time >= rollout.At && p.Time < until);
                var after = i + 1 < rollouts.Count ? rollouts[i + 1].RevisionBefore : record.FinalRevisions.GetValueOrDefault(rollout.Deployment);
                if (incidents != 1 || patches != 1 || after != rollout.RevisionBefore + 2)
                {
                    var times = string.Join(", ", RollbackPatches(record, rollout.Deployment).Where(p => p.Time >= rollout.At && p.Time < until)
                        .Select(p => $"{p.User} at {p.Time:HH:mm:ss.fff}"));
                    violations.Add($"{rollout.Deployment} revision {bad} ({rollout.Fault}, {rollout.At:HH:mm:ss.fff}): {incidents} incidents, {patches} rollback patches ({times}), "
                        + $"revision {rollout.RevisionBefore} → {after} (expected 1, 1, {rollout.RevisionBefore + 2})");
                }
            }
        }

        return violations;
    }

    /// <summary>
    /// The action's intent (a Pending action with its start time) is written to the Incident's status before the
    /// patch: some status write of that Incident is in the audit log between the action's start and the patch.
    /// </summary>
    private static IReadOnlyList<string> IntentBeforeEveryRollback(SoakRecord record)
    {
        var violations = new List<string>();
        foreach (var patch in record.Rollouts.Select(r => r.Deployment).Distinct().SelectMany(d => RollbackPatches(record, d)))
        {
            // Status times are whole seconds: an action started in the patch's second counts as started before it.
            var action = record.Incidents.Where(i => i.Spec.TargetRef.Name == patch.Name)
                .SelectMany(i => (i.Status?.Actions ?? []).Where(a => a.Type == ActionType.RolloutUndo && a.StartedAt is not null).Select(a => (Incident: i, Action: a)))
                .Where(x => Utc(x.Action.StartedAt!.Value) <= patch.Time.AddSeconds(1))
                .OrderByDescending(x => x.Action.StartedAt)
                .FirstOrDefault();
            if (action.Incident is null)
            {
                violations.Add($"{patch.Name} patched at {patch.Time:HH:mm:ss.fff} with no RolloutUndo action recorded in any of its Incidents");
                continue;
            }

            var since = Utc(action.Action.StartedAt!.Value).AddSeconds(-1);
            var intent = record.Audit.Any(r => r is { Resource: Incident.Plural, Subresource: "status" } && r.Verb is "patch" or "update"
                && r.StatusCode is >= 200 and < 300 && r.Name == action.Incident.Metadata.Name && r.Time >= since && r.Time < patch.Time);
            if (!intent)
            {
                violations.Add($"{patch.Name} patched at {patch.Time:HH:mm:ss.fff} before any status write of {action.Incident.Metadata.Name} recorded the action");
            }
        }

        return violations;
    }

    /// <summary>Every operator write other than the Lease itself comes from the user whose Lease write is the latest before it, and recent.</summary>
    private static IReadOnlyList<string> OnlyTheLeaderWrites(SoakRecord record)
    {
        var leaseWrites = record.Audit.Where(IsLeaseWrite).OrderBy(r => r.Time).ToList();
        var violations = new List<string>();
        foreach (var write in record.Audit.Where(r => r.User is { } u && record.OperatorUsers.Contains(u) && Writes.Contains(r.Verb)
                     && r.StatusCode is >= 200 and < 300 && !IsLeaseWrite(r)))
        {
            var holder = leaseWrites.LastOrDefault(l => l.Time <= write.Time);
            if (holder is null || holder.User != write.User || write.Time - holder.Time > LeaseDuration)
            {
                violations.Add($"{write.User} {write.Verb} {write.Resource}/{write.Name} at {write.Time:HH:mm:ss.fff}; the Lease was last written by "
                    + $"{holder?.User ?? "nobody"} at {holder?.Time:HH:mm:ss.fff}");
            }
        }

        return violations;
    }

    /// <summary>A successful write of the election's Lease; a create names the Lease in its body, so the audit has no name for it.</summary>
    public static bool IsLeaseWrite(AuditRecord r) =>
        r is { Resource: "leases", Namespace: SoakWorld.Namespace } && (r.Name == SoakWorld.LeaseName || r is { Verb: "create", Name: null })
        && r.Verb is "create" or "update" or "patch" && r.StatusCode is >= 200 and < 300;

    private static IReadOnlyList<string> IncidentsSettled(SoakRecord record) =>
    [
        .. record.Incidents
            .Where(i => i.Status?.Phase is not (IncidentPhase.Resolved or IncidentPhase.Escalated or IncidentPhase.Mitigated)
                && !(i.Status?.Phase == IncidentPhase.Mitigating && i.Status.Actions?.Any(a => a.Phase == ActionPhase.Running) == true))
            .Select(i => $"{i.Metadata.Name} ended in {i.Status?.Phase?.ToString() ?? "no phase"}"),
    ];

    private static IReadOnlyList<string> NoIncidentForFlakyPods(SoakRecord record) =>
        [.. record.Incidents.Where(i => i.Spec.TargetRef.Name.StartsWith("flaky-", StringComparison.Ordinal)).Select(i => $"{i.Metadata.Name} opened for a flaky pod")];

    private static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
