namespace IncidentResponder.Operator.Tests.Support;

/// <summary>The metrics scenarios' Runbook and RemediationPolicy: an error-ratio check raising ErrorRate, rolled back and verified by Query.</summary>
internal static class MetricsManifests
{
    public const string CheckName = "error-ratio";

    /// <summary>The 5xx share of a revision's requests over the last 5 s (the simulator labels series with pod_template_hash).</summary>
    public const string ErrorRatio =
        "sum(rate(http_requests_total{namespace=\"{{namespace}}\",deployment=\"{{deployment}}\",pod_template_hash=\"{{podTemplateHash}}\",code=~\"5..\"}[5s]))"
        + " / sum(rate(http_requests_total{namespace=\"{{namespace}}\",deployment=\"{{deployment}}\",pod_template_hash=\"{{podTemplateHash}}\"}[5s]))";

    public static string RunbookAndPolicy(string prometheusUrl, string query = ErrorRatio, string holdFor = "3s", string timeout = "2s", string verifyWindow = "2s") => $$$"""
        apiVersion: incidentresponder.dev/v1alpha1
        kind: Runbook
        metadata:
          name: {{{Manifests.RunbookName}}}
        spec:
          title: Errors after a rollout
          severity: SEV-3
          signals: [ErrorRate]
          steps:
            - name: {{{Manifests.RollbackStep}}}
              when: {recentRollout: true}
              action: {type: RolloutUndo, rolloutUndo: {to: LastKnownGood}}
              verify: {window: {{{verifyWindow}}}, timeout: 90s, checks: [Available, Query]}
              onFailure: {action: Escalate}
            - name: escalate
              action: {type: Escalate, note: "errors without a recent rollout: engage the owning team"}
        ---
        apiVersion: incidentresponder.dev/v1alpha1
        kind: RemediationPolicy
        metadata:
          name: {{{Manifests.PolicyName}}}
        spec:
          signals:
            - {signal: ErrorRate, runbookRef: {name: {{{Manifests.RunbookName}}}}}
          modes: {default: Automatic}
          detection: {holdFor: 1s, lastKnownGoodSoak: 1s, recentRolloutWindow: 10m}
          guardrails: {cooldownPerTarget: 1s}
          metrics:
            prometheus: {url: "{{{prometheusUrl}}}", timeout: {{{timeout}}}}
            interval: 500ms
            checks:
              - name: {{{CheckName}}}
                signal: ErrorRate
                query: '{{{Quoted(query)}}}'
                above: 0.1
                for: {{{holdFor}}}
        """;

    /// <summary>A YAML single-quoted scalar doubles its quotes.</summary>
    private static string Quoted(string text) => text.Replace("'", "''", StringComparison.Ordinal);
}
