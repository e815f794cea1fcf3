using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Crds;
using IncidentResponder.Operator.Bench.GitOpsWriteBack;
using IncidentResponder.Simulator.Kubelet;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>
/// The metric-analysis run's world, put in place over HTTP: the CRDs, and in each namespace a runbook that rolls back,
/// a policy whose only signal is an error-ratio check against the real Prometheus, and healthy Deployments.
/// </summary>
internal static class MetricsWorld
{
    public const string CheckName = "error-ratio";
    public const double Threshold = 0.1;

    /// <summary>The 5xx share of one revision's requests over the last 5 s, as the scenario test and the README use it.</summary>
    public const string ErrorRatio =
        "sum(rate(http_requests_total{namespace=\"{{namespace}}\",deployment=\"{{deployment}}\",pod_template_hash=\"{{podTemplateHash}}\",code=~\"5..\"}[5s]))"
        + " / sum(rate(http_requests_total{namespace=\"{{namespace}}\",deployment=\"{{deployment}}\",pod_template_hash=\"{{podTemplateHash}}\"}[5s]))";

    /// <summary>The bench's own writes carry this field manager, so the audit log tells them from the operator's.</summary>
    public const string FieldManager = "metrics-bench";

    public static string NamespaceName(int index) => $"shop-{index}";

    public static string DeploymentName(int index) => $"svc-{index:D2}";

    /// <summary>The check's query as the operator fills it for one Deployment's revision.</summary>
    public static string Filled(string ns, string deployment, string hash) => ErrorRatio
        .Replace("{{namespace}}", ns, StringComparison.Ordinal)
        .Replace("{{deployment}}", deployment, StringComparison.Ordinal)
        .Replace("{{podTemplateHash}}", hash, StringComparison.Ordinal);

    public static async Task InstallAsync(IKubernetes admin, MetricsSettings settings, Uri prometheus, CancellationToken cancellationToken)
    {
        foreach (var crd in CustomResourceDefinitionGenerator.GenerateAll())
        {
            await admin.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        for (var n = 0; n < settings.Namespaces; n++)
        {
            var ns = NamespaceName(n);
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken: cancellationToken).ConfigureAwait(false);
            await WriteBackWorld.CreateWhenServedAsync(admin, ns, Runbook.Plural, RunbookObject(), cancellationToken).ConfigureAwait(false);
            await WriteBackWorld.CreateWhenServedAsync(admin, ns, RemediationPolicy.Plural, PolicyObject(settings, prometheus), cancellationToken).ConfigureAwait(false);
        }

        foreach (var (ns, name) in settings.Targets())
        {
            await admin.AppsV1.CreateNamespacedDeploymentAsync(Deployment(name), ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A bad rollout as a person makes one: a new image whose pods are Ready but answer some requests with 500.</summary>
    public static V1Patch BadRollout() => new(
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + FaultSpec.FaultAnnotation + "\":\"errors\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"registry.example.com/shop:1.1.0\"}]}}}}",
        V1Patch.PatchType.MergePatch);

    private static V1Deployment Deployment(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Replicas = 2,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example.com/shop:1.0.0" }] },
            },
        },
    };

    private static JsonObject RunbookObject() => new()
    {
        ["apiVersion"] = GroupVersion.ApiVersion,
        ["kind"] = Runbook.KindName,
        ["metadata"] = new JsonObject { ["name"] = "errors-after-rollout" },
        ["spec"] = new JsonObject
        {
            ["title"] = "Errors after a rollout",
            ["severity"] = "SEV-3",
            ["signals"] = new JsonArray("ErrorRate"),
            ["steps"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "rollback",
                    ["when"] = new JsonObject { ["recentRollout"] = true },
                    ["action"] = new JsonObject { ["type"] = "RolloutUndo", ["rolloutUndo"] = new JsonObject { ["to"] = "LastKnownGood" } },
                    ["verify"] = new JsonObject { ["window"] = "1s", ["timeout"] = "90s", ["checks"] = new JsonArray("Available", "Query") },
                    ["onFailure"] = new JsonObject { ["action"] = "Escalate" },
                },
                new JsonObject { ["name"] = "escalate", ["action"] = new JsonObject { ["type"] = "Escalate", ["note"] = "engage the owning team" } }),
        },
    };

    /// <summary>Automatic mode, every incident allowed at once, and the error-ratio check as the only signal source.</summary>
    private static JsonObject PolicyObject(MetricsSettings settings, Uri prometheus) => new()
    {
        ["apiVersion"] = GroupVersion.ApiVersion,
        ["kind"] = RemediationPolicy.KindName,
        ["metadata"] = new JsonObject { ["name"] = "errors" },
        ["spec"] = new JsonObject
        {
            ["signals"] = new JsonArray(new JsonObject { ["signal"] = "ErrorRate", ["runbookRef"] = new JsonObject { ["name"] = "errors-after-rollout" } }),
            ["modes"] = new JsonObject { ["default"] = "Automatic" },
            ["detection"] = new JsonObject { ["holdFor"] = "1s", ["lastKnownGoodSoak"] = "1s", ["recentRolloutWindow"] = "10m" },
            ["guardrails"] = new JsonObject { ["cooldownPerTarget"] = "1s", ["maxConcurrentIncidents"] = 100 },
            ["metrics"] = new JsonObject
            {
                ["prometheus"] = new JsonObject { ["url"] = prometheus.ToString().TrimEnd('/'), ["timeout"] = "2s" },
                ["interval"] = settings.PollInterval,
                ["checks"] = new JsonArray(new JsonObject
                {
                    ["name"] = CheckName, ["signal"] = "ErrorRate", ["query"] = ErrorRatio, ["above"] = Threshold, ["for"] = settings.For,
                }),
            },
        },
    };
}
