using System.Text.Json.Nodes;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>What the write-back run commits to git and creates in the cluster: one app per folder, one Application each.</summary>
internal static class WriteBackManifests
{
    public const string Namespace = "default";
    public const string GoodImage = "nginx:1.27";
    public const string BadImage = "nginx:1.26-broken";

    public static string AppName(int i) => $"web-{i}";

    public static string AppPath(int i) => $"apps/{AppName(i)}/deployment.yaml";

    /// <summary>The app's Deployment as a team keeps it in git; a release changes only the image line.</summary>
    public static string Deployment(int i, string image) => $$"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{AppName(i)}}
          namespace: {{Namespace}}
          labels: {app: {{AppName(i)}}}
        spec:
          replicas: 2
          selector:
            matchLabels: {app: {{AppName(i)}}}
          template:
            metadata:
              labels: {app: {{AppName(i)}}}
            spec:
              containers:
                - name: web
                  image: {{image}}
        """;

    /// <summary>An Argo CD Application of the app's folder with automated sync, prune and self-heal.</summary>
    public static JsonObject Application(int i, string repoUrl, string argoCdNamespace) => new()
    {
        ["apiVersion"] = "argoproj.io/v1alpha1",
        ["kind"] = "Application",
        ["metadata"] = new JsonObject { ["name"] = AppName(i), ["namespace"] = argoCdNamespace },
        ["spec"] = new JsonObject
        {
            ["project"] = "default",
            ["source"] = new JsonObject { ["repoURL"] = repoUrl, ["targetRevision"] = "main", ["path"] = $"apps/{AppName(i)}" },
            ["destination"] = new JsonObject { ["server"] = "https://kubernetes.default.svc", ["namespace"] = Namespace },
            ["syncPolicy"] = new JsonObject { ["automated"] = new JsonObject { ["prune"] = true, ["selfHeal"] = true } },
        },
    };
}
