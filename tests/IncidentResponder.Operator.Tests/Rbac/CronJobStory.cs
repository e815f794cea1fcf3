using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Operator.Tests.Support;
using IncidentResponder.Simulator.Kubelet;

namespace IncidentResponder.Operator.Tests.Rbac;

/// <summary>
/// The RBAC run's CronJob target: a run started by hand from a CronJob (kubectl create job --from, owned by it) is
/// OOM-killed, so the operator reads the CronJob live and raises its job template's limit (cronjobs get and patch; the
/// CronJob and Job informers list and watch). The schedule is once a year, so no scheduled run interferes.
/// </summary>
internal static class CronJobStory
{
    private const string Name = "nightly";

    public static async Task RunAsync(OperatorCluster cluster)
    {
        await cluster.Kubectl.ApplyAsync($$$"""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: Runbook
            metadata: {name: {{{Name}}} }
            spec:
              title: A job out of memory
              severity: SEV-3
              signals: [OOMKilled]
              steps:
                - name: raise-memory
                  action: {type: RaiseMemoryLimit, raiseMemoryLimit: {factor: 1.5}}
                  verify: {window: 1s, timeout: 10m}
            ---
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata: {name: {{{Name}}} }
            spec:
              selector: {matchLabels: {app: {{{Name}}} }}
              signals: [{signal: OOMKilled, runbookRef: {name: {{{Name}}} }}]
              modes: {default: Automatic}
              guardrails: {maxMemory: 1Gi}
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: {{{Name}}}
              labels: {app: {{{Name}}} }
            spec:
              schedule: "0 0 1 1 *"
              jobTemplate:
                spec:
                  backoffLimit: 0
                  template:
                    metadata:
                      annotations: {"{{{FaultSpec.FaultAnnotation}}}": oom}
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: job
                        image: busybox:1.36
                        resources: {limits: {memory: 128Mi}}
            """);
        (await cluster.Kubectl.RunAsync("create", "job", $"{Name}-manual", $"--from=cronjob/{Name}")).ShouldSucceed();
        await Eventually.TrueAsync(
            async () => (await cluster.IncidentsAsync()).Any(i => i.Spec.TargetRef is { Kind: "CronJob", Name: Name }
                && i.Status?.Actions?.Any(a => a.Type == ActionType.RaiseMemoryLimit && a.Phase is ActionPhase.Running or ActionPhase.Succeeded) == true),
            "the CronJob's job template raised by its incident");
    }
}
