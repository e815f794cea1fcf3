using IncidentResponder.Operator.Tests.Support;

namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>
/// Bad rollouts of a StatefulSet and a DaemonSet: the informers over both kinds and their ControllerRevisions, the live
/// reads before each rollback (the workload, the revision), the rollback patches, and the delete of the StatefulSet pod
/// left crash-looping on the reverted revision (the runbook asks for forceRecreateStuckPods).
/// </summary>
internal static class WorkloadsStory
{
    public static async Task RunAsync(OperatorCluster cluster)
    {
        await cluster.Kubectl.ApplyAsync(RunbookAndPolicy + "\n---\n" + WorkloadManifests.StatefulSet("db", new StatefulSetShape { ReadinessProbe = true })
            + "\n---\n" + WorkloadManifests.DaemonSet("agent"));
        (await cluster.Kubectl.RunAsync("rollout", "status", "statefulset/db", "--timeout=60s")).ShouldSucceed();
        (await cluster.Kubectl.RunAsync("rollout", "status", "daemonset/agent", "--timeout=60s")).ShouldSucceed();
        await cluster.BadWorkloadRolloutAsync("statefulset", "db", "crashloop");
        await cluster.BadWorkloadRolloutAsync("daemonset", "agent", "imagepull");

        await Eventually.TrueAsync(
            () => cluster.OperatorPatches("statefulsets", "db").Count == 1 && cluster.OperatorPatches("daemonsets", "agent").Count == 1
                && cluster.OperatorPodDeletes().Count > 0,
            "the operator to roll back db and agent and to delete db's stuck pod");
    }

    private const string RunbookAndPolicy = """
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: workload-rollback
        spec:
          title: Bad workload rollout
          severity: SEV-3
          signals: [CrashLoop, ImagePull]
          steps:
            - name: rollback
              when: {recentRollout: true}
              action: {type: RolloutUndo, rolloutUndo: {to: Previous, forceRecreateStuckPods: true}}
              verify: {window: 1s, timeout: 60s}
              onFailure: {action: Escalate}
        ---
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata:
          name: workloads
        spec:
          selector: {matchExpressions: [{key: app, operator: In, values: [db, agent]}]}
          signals:
            - {signal: CrashLoop, runbookRef: {name: workload-rollback}}
            - {signal: ImagePull, runbookRef: {name: workload-rollback}}
          modes: {default: Automatic}
          detection: {minAffectedPods: 1, minAffectedPercent: 50, holdFor: 1s}
          guardrails: {cooldownPerTarget: 1s}
        """;
}
