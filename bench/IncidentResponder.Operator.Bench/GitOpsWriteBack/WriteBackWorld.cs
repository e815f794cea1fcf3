using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Crds;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Storage;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>
/// Puts the write-back run's world in place over HTTP, as a person would: the project's CRDs, the runbook and a policy
/// that writes fixes back directly to the tracked branch, the (almost empty) git credentials, the fault map under which
/// the bad image crash-loops, and the N Applications, then waits for every app to be Healthy at the good image.
/// </summary>
internal static class WriteBackWorld
{
    public const string VerifyWindow = "1s";
    public const string HoldFor = "0s";

    private static readonly string[] Signals = ["RolloutStuck", "CrashLoop", "ImagePull", "ConfigError", "OOMKilled", "ReadinessFailing"];

    public static async Task InstallAsync(SimulatedCluster cluster, IKubernetes admin, LocalRepository repo, int apps, CancellationToken cancellationToken)
    {
        foreach (var crd in CustomResourceDefinitionGenerator.GenerateAll())
        {
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var argoCd = cluster.Options.GitOps!.ArgoCdNamespace;
        if (cluster.Store.Get(BuiltinResources.Namespaces, null, argoCd) is null)
        {
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = argoCd } }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var ns = WriteBackManifests.Namespace;
        await admin.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "sim-faults" },
            Data = new Dictionary<string, string> { ["broken-web"] = $"{WriteBackManifests.BadImage}=crashloop" },
        }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        // The repository is a local path that needs no secret, but the policy must name one: its presence is checked.
        await admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "git-credentials" },
            StringData = new Dictionary<string, string> { ["username"] = "incident-responder" },
        }, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        await CreateWhenServedAsync(admin, ns, Runbook.Plural, RunbookObject(), cancellationToken).ConfigureAwait(false);
        await CreateWhenServedAsync(admin, ns, RemediationPolicy.Plural, PolicyObject(), cancellationToken).ConfigureAwait(false);

        repo.Commit("web apps at 1.27", [.. Enumerable.Range(0, apps).Select(i => (WriteBackManifests.AppPath(i), WriteBackManifests.Deployment(i, WriteBackManifests.GoodImage)))]);
        for (var i = 0; i < apps; i++)
        {
            await CreateWhenServedAsync(admin, argoCd, "applications", WriteBackManifests.Application(i, repo.Url, argoCd), cancellationToken, "argoproj.io", "v1alpha1").ConfigureAwait(false);
        }

        await Poll.UntilAsync(() => Enumerable.Range(0, apps).All(i => IsHealthyAtGood(cluster, i)), TimeSpan.FromMinutes(3),
            "every Application synced and Healthy at the good image", cancellationToken).ConfigureAwait(false);
    }

    private static bool IsHealthyAtGood(SimulatedCluster cluster, int i)
    {
        var app = cluster.Store.Get(Simulator.GitOps.GitOpsCrds.Applications, cluster.Options.GitOps!.ArgoCdNamespace, WriteBackManifests.AppName(i));
        return (string?)app?["status"]?["health"]?["status"] == "Healthy" && WriteBackProbe.TemplateImage(cluster.Store, i) == WriteBackManifests.GoodImage;
    }

    /// <summary>Roll back to the last known good revision and verify it for <see cref="VerifyWindow"/>; else escalate.</summary>
    private static JsonObject RunbookObject() => new()
    {
        ["apiVersion"] = GroupVersion.ApiVersion,
        ["kind"] = Runbook.KindName,
        ["metadata"] = new JsonObject { ["name"] = "bad-rollout" },
        ["spec"] = new JsonObject
        {
            ["title"] = "Bad rollout",
            ["severity"] = "SEV-3",
            ["signals"] = new JsonArray([.. Signals.Select(s => (JsonNode)s)]),
            ["steps"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "rollback",
                    ["when"] = new JsonObject { ["recentRollout"] = true },
                    ["action"] = new JsonObject { ["type"] = "RolloutUndo", ["rolloutUndo"] = new JsonObject { ["to"] = "LastKnownGood" } },
                    ["verify"] = new JsonObject { ["window"] = VerifyWindow, ["timeout"] = "120s", ["checks"] = new JsonArray("Available", "NewPodsReady", "NoNewSignal") },
                    ["onFailure"] = new JsonObject { ["action"] = "Escalate" },
                },
                new JsonObject { ["name"] = "escalate", ["action"] = new JsonObject { ["type"] = "Escalate", ["note"] = "engage the owning team" } }),
            ["escalation"] = new JsonObject { ["contacts"] = new JsonArray("@oncall") },
        },
    };

    /// <summary>Automatic mode, every incident allowed at once (the CRD's upper bound), and Direct write-back.</summary>
    private static JsonObject PolicyObject() => new()
    {
        ["apiVersion"] = GroupVersion.ApiVersion,
        ["kind"] = RemediationPolicy.KindName,
        ["metadata"] = new JsonObject { ["name"] = "rollouts" },
        ["spec"] = new JsonObject
        {
            ["signals"] = new JsonArray([.. Signals.Select(s => (JsonNode)new JsonObject { ["signal"] = s, ["runbookRef"] = new JsonObject { ["name"] = "bad-rollout" } })]),
            ["modes"] = new JsonObject { ["default"] = "Automatic" },
            ["detection"] = new JsonObject
            {
                ["minAffectedPods"] = 1,
                ["minAffectedPercent"] = 50,
                ["holdFor"] = HoldFor,
                ["reopenWindow"] = "15m",
                ["recentRolloutWindow"] = "10m",
                ["lastKnownGoodSoak"] = "1s",
            },
            ["guardrails"] = new JsonObject { ["cooldownPerTarget"] = "1s", ["maxConcurrentIncidents"] = 100, ["circuitBreakerThreshold"] = 2 },
            ["paused"] = false,
            ["gitops"] = new JsonObject
            {
                ["writeBack"] = new JsonObject { ["mode"] = "Direct", ["credentialsSecretRef"] = new JsonObject { ["name"] = "git-credentials" } },
            },
        },
    };

    /// <summary>A CRD is served a moment after it is stored: retry the first objects of a kind on 404.</summary>
    internal static async Task CreateWhenServedAsync(IKubernetes client, string ns, string plural, JsonObject body, CancellationToken cancellationToken,
        string group = GroupVersion.Group, string version = GroupVersion.Version)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, group, version, ns, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
