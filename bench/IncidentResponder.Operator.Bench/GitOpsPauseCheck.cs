using IncidentResponder.Core.GitOps;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// Whether every owned Application was paused exactly once before its Deployment's rollback: the paused-by mark on the
/// stored Application, the count of accepted non-dry-run patches to it in the audit log, and their order against the
/// rollback patch. Also the time from the clear signal (+ holdFor) to the pause accepted.
/// </summary>
internal sealed record GitOpsPauseCheck(int Owned, int Marked, int PatchedOnce, int PausedBeforeRollback, IReadOnlyList<string> Problems, IReadOnlyList<TimeSpan> PauseLatencies)
{
    public bool Passed => Problems.Count == 0;

    public static GitOpsPauseCheck Build(ClusterStore store, IReadOnlyList<AuditRecord> audit, IReadOnlyList<InjectedRollout> rollouts,
        IReadOnlySet<(string Namespace, string Name)> owned, TimeSpan holdFor)
    {
        var problems = new List<string>();
        var pauses = new List<TimeSpan>();
        int marked = 0, once = 0, ordered = 0;
        foreach (var rollout in rollouts.Where(r => owned.Contains((r.Target.Namespace, r.Target.Name))))
        {
            var (ns, name) = (rollout.Target.Namespace, rollout.Target.Name);
            var app = GitOpsOwnedTargets.ApplicationName(ns, name);
            var stored = store.Get(GitOpsCrds.Applications, GitOpsOwnedTargets.ArgoCdNamespace, app);
            if (stored?["metadata"]?["annotations"]?[OwnerPause.PausedByAnnotation] is not null)
            {
                marked++;
            }
            else
            {
                problems.Add($"{app}: no {OwnerPause.PausedByAnnotation} annotation");
            }

            var patches = Accepted(audit, GitOpsCrds.Applications.Resource, GitOpsOwnedTargets.ArgoCdNamespace, app);
            if (patches.Count == 1)
            {
                once++;
            }
            else
            {
                problems.Add($"{app}: {patches.Count} non-dry-run patches");
            }

            var rollback = Accepted(audit, "deployments", ns, name).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            if (patches.Count > 0 && patches.Min() < rollback)
            {
                ordered++;
                pauses.Add(patches.Min() - (rollout.ClearAt + holdFor));
            }
            else
            {
                problems.Add($"{app}: not paused before the rollback of {ns}/{name}");
            }
        }

        return new GitOpsPauseCheck(owned.Count, marked, once, ordered, problems, pauses);
    }

    private static List<DateTimeOffset> Accepted(IReadOnlyList<AuditRecord> audit, string resource, string ns, string name) =>
        [.. audit.Where(a => a.Verb == "patch" && a.Resource == resource && a.Subresource is null && a.StatusCode == 200
                && a.Namespace == ns && a.Name == name && !a.Path.Contains("dryRun", StringComparison.Ordinal))
            .Select(a => a.Time)];
}
