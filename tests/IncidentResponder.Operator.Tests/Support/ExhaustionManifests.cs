namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// The exhaustion scenarios' Runbook and RemediationPolicy (the playbook's "recent deployment → roll back; resource
/// exhaustion → raise memory, else escalate"), and a Deployment with a memory limit to raise.
/// </summary>
internal static class ExhaustionManifests
{
    public const string RunbookName = "exhaustion";
    public const string PolicyName = "exhaustion";
    public const string RaiseStep = "raise-memory";
    public const string RaiseMoreStep = "raise-memory-more";

    /// <param name="verifyWindow">How long the raised workload must stay healthy; long enough to see new pods OOM.</param>
    /// <param name="mode">The policy's default mode (Automatic or DryRun).</param>
    /// <param name="verifyTimeout">When an unhealthy raise counts as failed.</param>
    public static string RunbookAndPolicy(string verifyWindow = "2s", string verifyTimeout = "60s", string mode = "Automatic") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{RunbookName}}}
        spec:
          title: Out of memory
          severity: SEV-3
          signals: [OOMKilled, RestartStorm]
          steps:
            - name: rollback
              when: {recentRollout: true}
              action: {type: RolloutUndo, rolloutUndo: {to: LastKnownGood}}
              verify: {window: 1s, timeout: 60s}
              onFailure: {action: Escalate}
            - name: {{{RaiseStep}}}
              when: {signals: [OOMKilled]}
              action: {type: RaiseMemoryLimit, raiseMemoryLimit: {factor: 1.5}}
              verify: {window: {{{verifyWindow}}}, timeout: {{{verifyTimeout}}}, checks: [Available, NoNewSignal]}
              onFailure: {action: NextStep}
            # A runbook author's "raise more if it was not enough" is the remediation loop: the operator must refuse it
            # while the OOM kills go on, and escalate instead.
            - name: {{{RaiseMoreStep}}}
              when: {signals: [OOMKilled]}
              action: {type: RaiseMemoryLimit, raiseMemoryLimit: {factor: 2}}
              verify: {window: 2s, timeout: 60s, checks: [Available, NoNewSignal]}
            - name: escalate
              action: {type: Escalate, note: "memory raise did not help; engage the owning team"}
          escalation:
            contacts: ["@oncall"]
        ---
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata:
          name: {{{PolicyName}}}
        spec:
          signals:
            - {signal: OOMKilled, runbookRef: {name: {{{RunbookName}}} }}
            - {signal: RestartStorm, runbookRef: {name: {{{RunbookName}}} }}
          modes: {default: {{{mode}}} }
          detection:
            minAffectedPods: 1
            minAffectedPercent: 50
            holdFor: 1s
            reopenWindow: 15m
            recentRolloutWindow: 2s
            lastKnownGoodSoak: 1s
          guardrails:
            cooldownPerTarget: 1s
            maxConcurrentIncidents: 3
            circuitBreakerThreshold: 2
            maxMemory: 1Gi
            maxMemoryFactor: 2
        """;

    public const string ScaleRunbookName = "scale-out";
    public const string ScaleStep = "scale-out";

    /// <summary>The playbook's "resource exhaustion → scale up", capped by the policy's maxReplicas, else escalate.</summary>
    /// <param name="scaleBack">The step asks for a scale-back once the incident is resolved and stable.</param>
    /// <param name="verifyTimeout">When a scale that has not helped counts as failed.</param>
    /// <param name="selector">The policy's Deployment selector (YAML), when others share the namespace.</param>
    public static string ScaleRunbookAndPolicy(bool scaleBack = false, string verifyTimeout = "5s", string selector = "{}") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{ScaleRunbookName}}}
        spec:
          title: Out of capacity
          severity: SEV-3
          signals: [OOMKilled]
          steps:
            - name: {{{ScaleStep}}}
              when: {recentRollout: false}
              action: {type: Scale, scale: {factor: 2, scaleBackOnResolve: {{{(scaleBack ? "true" : "false")}}} }}
              verify: {window: 1s, timeout: {{{verifyTimeout}}}, checks: [Available, NoNewSignal]}
              onFailure: {action: Escalate}
          escalation:
            contacts: ["@oncall"]
        ---
        {{{OomPolicy(ScaleRunbookName, selector, "maxReplicas: 6")}}}
        """;

    public const string RestartRunbookName = "restart";
    public const string RestartStep = "restart";

    /// <summary>"Turn it off and on again" for pods stuck in a bad state on a healthy image: kubectl rollout restart.</summary>
    public static string RestartRunbookAndPolicy() => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{RestartRunbookName}}}
        spec:
          title: Stuck pods
          severity: SEV-3
          signals: [OOMKilled]
          steps:
            - name: {{{RestartStep}}}
              when: {recentRollout: false}
              action: {type: RestartRollout}
              verify: {window: 1s, timeout: 60s, checks: [Available, NoNewSignal]}
              onFailure: {action: Escalate}
          escalation:
            contacts: ["@oncall"]
        ---
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata:
          name: {{{RestartRunbookName}}}
        spec:
          signals:
            - {signal: OOMKilled, runbookRef: {name: {{{RestartRunbookName}}} }}
          modes: {default: Automatic}
          detection: {minAffectedPods: 1, minAffectedPercent: 50, holdFor: 1s, reopenWindow: 15m, recentRolloutWindow: 2s, lastKnownGoodSoak: 1s}
          guardrails: {cooldownPerTarget: 1s, maxConcurrentIncidents: 3, circuitBreakerThreshold: 2}
        """;

    public const string FlagRunbookName = "disable-feature";
    public const string FlagStep = "disable-recommendations";
    public const string Flag = "recommendations";

    /// <summary>
    /// The playbook's "disable the feature": a flag kept in the ConfigMap "flags" set to false while the incident lasts and
    /// flipped back once it is resolved.
    /// </summary>
    /// <param name="allowedFlags">The policy's allowedFlags: the operator refuses any other flag.</param>
    /// <param name="selector">The policy's Deployment selector (YAML), when others share the namespace.</param>
    public static string FlagRunbookAndPolicy(string allowedFlags, string selector = "{}") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{FlagRunbookName}}}
        spec:
          title: Memory-hungry feature
          severity: SEV-3
          signals: [OOMKilled]
          steps:
            - name: {{{FlagStep}}}
              when: {recentRollout: false}
              action:
                type: FeatureFlag
                featureFlag:
                  flag: {{{Flag}}}
                  value: "false"
                  provider: ConfigMap
                  configMap: {name: flags}
                  revertOnResolve: true
              verify: {window: 1s, timeout: 60s, checks: [Available, NoNewSignal]}
              onFailure: {action: Escalate}
          escalation:
            contacts: ["@oncall"]
        ---
        {{{OomPolicy(FlagRunbookName, selector, $"allowedFlags: [{allowedFlags}]")}}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: flags
        data:
          {{{Flag}}}: "true"
        """;

    /// <summary>
    /// The RemediationPolicy every exhaustion scenario uses: OOMKilled routed to <paramref name="runbook"/>, Automatic,
    /// one-second holds and cooldowns, plus the scenario's own <paramref name="guardrails"/> (caps, allowed flags), in
    /// <paramref name="mode"/> (Automatic unless a scenario asks for DryRun or RequireApproval).
    /// </summary>
    public static string OomPolicy(string runbook, string selector, string guardrails, string mode = "Automatic") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata:
          name: {{{runbook}}}
        spec:
          selector: {{{selector}}}
          signals:
            - {signal: OOMKilled, runbookRef: {name: {{{runbook}}} }}
          modes: {default: {{{mode}}} }
          detection: {minAffectedPods: 1, minAffectedPercent: 50, holdFor: 1s, reopenWindow: 15m, recentRolloutWindow: 2s, lastKnownGoodSoak: 1s}
          guardrails: {cooldownPerTarget: 1s, maxConcurrentIncidents: 3, circuitBreakerThreshold: 2, {{{guardrails}}}}
        """;

    /// <summary>An autoscaling/v2 HPA that manages the Deployment (stored only: the simulator runs no HPA controller).</summary>
    public static string Hpa(string deployment, int min, int max) => $$$"""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: {{{deployment}}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: {{{deployment}}} }
          minReplicas: {{{min}}}
          maxReplicas: {{{max}}}
          metrics:
            - type: Resource
              resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}
        """;

    /// <summary>A Deployment of nginx with a 128Mi memory limit; <paramref name="templateAnnotations"/> make every pod of it fail.</summary>
    public static string Deployment(string name, string templateAnnotations = "{}") => $$$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{{name}}}
          labels: {app: {{{name}}} }
        spec:
          replicas: 2
          selector:
            matchLabels: {app: {{{name}}} }
          template:
            metadata:
              labels: {app: {{{name}}} }
              annotations: {{{templateAnnotations}}}
            spec:
              containers:
                - name: app
                  image: nginx:1.25
                  resources:
                    requests: {memory: 64Mi}
                    limits: {memory: 128Mi}
        """;
}
