using System.Globalization;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>The policy knobs a scenario turns; the defaults make every scenario finish in seconds.</summary>
internal sealed record PolicySettings
{
    public string Mode { get; init; } = "Automatic";

    public string HoldFor { get; init; } = "1s";

    public string ReopenWindow { get; init; } = "15m";

    public string LastKnownGoodSoak { get; init; } = "1s";

    /// <summary>How long a new revision counts as a recent rollout; short in exhaustion scenarios, whose revision is old.</summary>
    public string RecentRolloutWindow { get; init; } = "10m";

    public string Cooldown { get; init; } = "1s";

    public int CircuitBreakerThreshold { get; init; } = 2;

    public string? MaxActionsPerTarget { get; init; }

    public bool Paused { get; init; }

    /// <summary>The value of the app label of the Deployments the policy governs; null: every Deployment.</summary>
    public string? SelectApp { get; init; }

    /// <summary>The policy's spec.gitops in YAML flow style (e.g. <c>{onOwned: Ignore}</c>); null: absent.</summary>
    public string? GitOps { get; init; }

    /// <summary>The policy's spec.maintenanceWindows in YAML flow style (e.g. <c>[{name: freeze, start: ..., end: ...}]</c>); null: absent.</summary>
    public string? MaintenanceWindows { get; init; }
}

/// <summary>The step list of the scenario runbook; the defaults are the playbook's "roll back, else escalate".</summary>
internal sealed record RunbookSettings
{
    public string UndoTo { get; init; } = "LastKnownGood";

    public string VerifyWindow { get; init; } = "1s";

    public string VerifyTimeout { get; init; } = "60s";

    public string OnFailure { get; init; } = "Escalate";

    /// <summary>The rollback step's rolloutUndo.forceRecreateStuckPods (StatefulSets).</summary>
    public bool ForceRecreateStuckPods { get; init; }

    /// <summary>A second RolloutUndo step after the first (circuit breaker scenarios).</summary>
    public bool SecondRollback { get; init; }
}

/// <summary>YAML for the scenario's Runbook and RemediationPolicy, applied with kubectl like a person would.</summary>
internal static class Manifests
{
    public const string RunbookName = "bad-rollout";
    public const string PolicyName = "rollouts";
    public const string RollbackStep = "rollback";

    private static readonly string[] Signals = ["RolloutStuck", "CrashLoop", "ImagePull", "ConfigError", "OOMKilled", "ReadinessFailing"];

    public static string Runbook(RunbookSettings settings) => $$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{RunbookName}}
        spec:
          title: Bad rollout
          severity: SEV-3
          signals: [{{string.Join(", ", Signals)}}]
          steps:
            - name: {{RollbackStep}}
              when: {recentRollout: true}
              action:
                type: RolloutUndo
                rolloutUndo:
                  to: {{settings.UndoTo}}{{(settings.ForceRecreateStuckPods ? "\n          forceRecreateStuckPods: true" : string.Empty)}}
              verify: {window: {{settings.VerifyWindow}}, timeout: {{settings.VerifyTimeout}}, checks: [Available, NewPodsReady, NoNewSignal]}
              onFailure: {action: {{settings.OnFailure}}}
        {{(settings.SecondRollback ? SecondRollbackStep : string.Empty)}}
            - name: escalate
              action: {type: Escalate, note: "no automatic mitigation helped; engage the owning team"}
          escalation:
            contacts: ["@oncall"]
        """;

    private const string SecondRollbackStep = """
            - name: rollback-again
              when: {recentRollout: true}
              action: {type: RolloutUndo, rolloutUndo: {to: Previous}}
              verify: {window: 1s, timeout: 60s}
        """;

    public static string Policy(PolicySettings settings)
    {
        var routes = string.Join("\n", Signals.Select(s => "    - {signal: " + s + ", runbookRef: {name: " + RunbookName + "}}"));
        var selector = settings.SelectApp is { } app ? $"\n  selector: {{matchLabels: {{app: {app}}}}}" : string.Empty;
        var perTarget = settings.MaxActionsPerTarget is { } budget ? $"\n    maxActionsPerTarget: {budget}" : string.Empty;
        var gitops = settings.GitOps is { } flow ? $"\n  gitops: {flow}" : string.Empty;
        var windows = settings.MaintenanceWindows is { } list ? $"\n  maintenanceWindows: {list}" : string.Empty;
        return $$"""
            apiVersion: incidentresponder.dev/v1alpha1
            kind: RemediationPolicy
            metadata:
              name: {{PolicyName}}
            spec:{{selector}}
              signals:
            {{routes}}
              modes: {default: {{settings.Mode}}}
              detection:
                minAffectedPods: 1
                minAffectedPercent: 50
                holdFor: {{settings.HoldFor}}
                reopenWindow: {{settings.ReopenWindow}}
                recentRolloutWindow: {{settings.RecentRolloutWindow}}
                lastKnownGoodSoak: {{settings.LastKnownGoodSoak}}
              guardrails:
                cooldownPerTarget: {{settings.Cooldown}}
                maxConcurrentIncidents: 3
                circuitBreakerThreshold: {{settings.CircuitBreakerThreshold.ToString(CultureInfo.InvariantCulture)}}{{perTarget}}
              paused: {{(settings.Paused ? "true" : "false")}}{{gitops}}{{windows}}
            """;
    }
}
