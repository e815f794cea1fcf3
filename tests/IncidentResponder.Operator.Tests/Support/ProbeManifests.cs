using IncidentResponder.Simulator.Kubelet;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>A health-probe runbook and policy for Deployment web behind Service web, and the slow rollout that fails them.</summary>
public static class ProbeManifests
{
    public const string RunbookName = "health-check";
    public const string ProbeName = "web-health";
    public const string LatencyBudget = "300ms";

    /// <summary>
    /// The policy probes web's /healthz through the service proxy every 300ms (3 failures make a signal); its runbook rolls a
    /// recent rollout back and verifies the rollback by the same GET staying within budget for <paramref name="verifyWindow"/>.
    /// </summary>
    public static string RunbookAndPolicy(string verifyWindow = "2s", string verifyTimeout = "60s") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata: {name: {{{RunbookName}}} }
        spec:
          title: Health check fails
          signals: [HealthCheckFailing]
          steps:
            - name: rollback
              when: {recentRollout: true}
              action: {type: RolloutUndo, rolloutUndo: {to: LastKnownGood}}
              verify:
                window: {{{verifyWindow}}}
                timeout: {{{verifyTimeout}}}
                checks: [Available, HttpProbe]
                httpProbe: {service: web, port: http, path: /healthz, latencyBudget: {{{LatencyBudget}}}, timeout: 5s}
              onFailure: {action: Escalate}
            - name: escalate
              action: {type: Escalate, note: "the health check still fails; engage the owning team"}
        ---
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata: {name: probed}
        spec:
          signals:
            - {signal: HealthCheckFailing, runbookRef: {name: {{{RunbookName}}} }}
          probes:
            - {name: {{{ProbeName}}}, service: web, port: http, path: /healthz, latencyBudget: {{{LatencyBudget}}}, interval: 300ms, failureThreshold: 3}
          modes: {default: Automatic}
          detection: {lastKnownGoodSoak: 1s, recentRolloutWindow: 10m}
          guardrails: {cooldownPerTarget: 1s}
        """;

    /// <summary>Service web: port http (80) in front of the pods labelled app=web.</summary>
    public const string Service = """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{name: http, port: 80, targetPort: 8080}]
        """;

    /// <summary>A rollout whose pods are Ready but answer every request <paramref name="latency"/> late.</summary>
    public static string SlowRolloutPatch(string latency = "1s") =>
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + FaultSpec.FaultAnnotation + "\":\"slow\",\"" + FaultSpec.FaultLatencyAnnotation + "\":\"" + latency
            + "\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.26\"}]}}}}";

    /// <summary>A bare pod the Service also selects, Ready and slow: no rollback of the Deployment removes it.</summary>
    public const string SlowStrayPod = $$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-stray
          labels: {app: web}
          annotations: {"{{FaultSpec.FaultAnnotation}}": slow, "{{FaultSpec.FaultLatencyAnnotation}}": 1s}
        spec:
          containers: [{name: nginx, image: nginx:1.25}]
        """;
}
