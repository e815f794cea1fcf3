using System.Text.Json.Nodes;
using k8s.Models;

namespace IncidentResponder.Soak;

/// <summary>
/// The soak's Runbook (roll back a recent rollout, else escalate) and RemediationPolicy, with holds and guardrails
/// short and wide enough that every bad rollout of a long run can be handled, and the fleet's Deployments.
/// </summary>
internal static class SoakManifests
{
    public const string Runbook = "soak-rollback";

    public static JsonObject RunbookObject() => JsonNode.Parse("""
        {"apiVersion": "incidentresponder.dev/v1alpha1", "kind": "Runbook", "metadata": {"name": "RUNBOOK"},
         "spec": {"title": "Bad rollout", "severity": "SEV-3",
          "signals": ["RolloutStuck", "CrashLoop", "ImagePull", "OOMKilled", "ReadinessFailing", "RestartStorm"],
          "steps": [
            {"name": "rollback", "when": {"recentRollout": true},
             "action": {"type": "RolloutUndo", "rolloutUndo": {"to": "LastKnownGood"}},
             "verify": {"window": "3s", "timeout": "90s", "checks": ["Available", "NewPodsReady", "NoNewSignal"]},
             "onFailure": {"action": "Escalate"}},
            {"name": "escalate", "action": {"type": "Escalate", "note": "soak: nothing automatic applies"}}],
          "escalation": {"contacts": ["@soak"]}}}
        """.Replace("RUNBOOK", Runbook, StringComparison.Ordinal))!.AsObject();

    public static JsonObject PolicyObject() => JsonNode.Parse("""
        {"apiVersion": "incidentresponder.dev/v1alpha1", "kind": "RemediationPolicy", "metadata": {"name": "soak"},
         "spec": {
          "signals": [{"signal": "RolloutStuck", "runbookRef": {"name": "RUNBOOK"}}, {"signal": "CrashLoop", "runbookRef": {"name": "RUNBOOK"}},
                      {"signal": "ImagePull", "runbookRef": {"name": "RUNBOOK"}}, {"signal": "OOMKilled", "runbookRef": {"name": "RUNBOOK"}},
                      {"signal": "ReadinessFailing", "runbookRef": {"name": "RUNBOOK"}}, {"signal": "RestartStorm", "runbookRef": {"name": "RUNBOOK"}}],
          "modes": {"default": "Automatic"},
          "detection": {"minAffectedPods": 1, "minAffectedPercent": 50, "holdFor": "2s", "reopenWindow": "1s",
                        "recentRolloutWindow": "10m", "lastKnownGoodSoak": "10s"},
          "guardrails": {"cooldownPerTarget": "1s", "maxActionsPerTarget": {"count": 1000, "window": "1h"},
                         "maxActionsPerNamespace": {"count": 1000, "window": "1h"}, "maxConcurrentIncidents": 50,
                         "circuitBreakerThreshold": 3}}}
        """.Replace("RUNBOOK", Runbook, StringComparison.Ordinal))!.AsObject();

    public static V1Deployment Deployment(string name, int replicas) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "nginx:1.25" }] },
            },
        },
    };
}
