using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Crds;
using k8s;
using k8s.Autorest;

namespace IncidentResponder.Operator.Bench;

/// <summary>
/// The CRDs (generated from the API types) and, in every namespace, the Runbook and the RemediationPolicy that put its
/// Deployments under the operator in Automatic mode. Created over HTTP, as a person applying them would.
/// </summary>
internal static class Governance
{
    public const string RunbookName = "bad-rollout";
    public const string PolicyName = "rollouts";
    public const string RollbackStep = "rollback";

    /// <summary>The CRD's upper bound: incidents left Mitigating (nobody completes the rollbacks here) must not block others.</summary>
    public const int MaxConcurrentIncidents = 100;

    private static readonly string[] Signals = ["RolloutStuck", "CrashLoop", "ImagePull", "ConfigError", "OOMKilled", "ReadinessFailing"];

    public static async Task InstallAsync(IKubernetes client, BenchSettings settings, CancellationToken cancellationToken)
    {
        foreach (var crd in CustomResourceDefinitionGenerator.GenerateAll())
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        for (var n = 0; n < settings.Namespaces; n++)
        {
            var ns = WorkloadObjects.NamespaceName(n);
            await CreateWhenServedAsync(client, ns, Runbook.Plural, RunbookObject(), cancellationToken).ConfigureAwait(false);
            await CreateWhenServedAsync(client, ns, RemediationPolicy.Plural, PolicyObject(settings), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The playbook's first branch: a recent rollout is rolled back to the last known good revision, else escalate.</summary>
    private static JsonObject RunbookObject() => new()
    {
        ["apiVersion"] = GroupVersion.ApiVersion,
        ["kind"] = Runbook.KindName,
        ["metadata"] = new JsonObject { ["name"] = RunbookName },
        ["spec"] = new JsonObject
        {
            ["title"] = "Bad rollout",
            ["severity"] = "SEV-3",
            ["signals"] = new JsonArray([.. Signals.Select(s => (JsonNode)s)]),
            ["steps"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = RollbackStep,
                    ["when"] = new JsonObject { ["recentRollout"] = true },
                    ["action"] = new JsonObject { ["type"] = "RolloutUndo", ["rolloutUndo"] = new JsonObject { ["to"] = "LastKnownGood" } },
                    ["verify"] = new JsonObject { ["window"] = "30s", ["timeout"] = "5m", ["checks"] = new JsonArray("Available", "NewPodsReady", "NoNewSignal") },
                    ["onFailure"] = new JsonObject { ["action"] = "Escalate" },
                },
                new JsonObject
                {
                    ["name"] = "escalate",
                    ["action"] = new JsonObject { ["type"] = "Escalate", ["note"] = "no automatic mitigation helped; engage the owning team" },
                }),
            ["escalation"] = new JsonObject { ["contacts"] = new JsonArray("@oncall") },
        },
    };

    private static JsonObject PolicyObject(BenchSettings settings) => new()
    {
        ["apiVersion"] = GroupVersion.ApiVersion,
        ["kind"] = RemediationPolicy.KindName,
        ["metadata"] = new JsonObject { ["name"] = PolicyName },
        ["spec"] = new JsonObject
        {
            ["signals"] = new JsonArray([.. Signals.Select(s => (JsonNode)new JsonObject { ["signal"] = s, ["runbookRef"] = new JsonObject { ["name"] = RunbookName } })]),
            ["modes"] = new JsonObject { ["default"] = "Automatic" },
            ["detection"] = new JsonObject
            {
                ["minAffectedPods"] = 1,
                ["minAffectedPercent"] = 50,
                ["holdFor"] = settings.HoldFor,
                ["reopenWindow"] = "15m",
                ["recentRolloutWindow"] = "10m",
                ["lastKnownGoodSoak"] = "1s",
            },
            ["guardrails"] = new JsonObject
            {
                ["cooldownPerTarget"] = "10m",
                ["maxConcurrentIncidents"] = MaxConcurrentIncidents,
                ["circuitBreakerThreshold"] = 2,
            },
            ["paused"] = false,
        },
    };

    /// <summary>A CRD is served a moment after it is stored: retry the first objects of a kind on 404.</summary>
    private static async Task CreateWhenServedAsync(IKubernetes client, string ns, string plural, JsonObject body, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, GroupVersion.Group, GroupVersion.Version, ns, plural,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
