using IncidentResponder.Core.GitOps;
using IncidentResponder.Operator.GitOps.WriteBack;

namespace IncidentResponder.Operator.Tests.GitOps.WriteBack;

/// <summary>A realistic app folder in git (comments, a Service, a Deployment) and the write-back of its bad image.</summary>
internal static class Manifests
{
    public const string Deployment = """
        # Storefront web tier. Owned by team shop (#shop on Slack).
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 3   # one per zone
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
                - name: nginx
                  # 1.26 brings the TLS session fix
                  image: nginx:1.26
                  ports:
                    - containerPort: 80
                  resources:
                    limits:
                      memory: 256Mi
        """;

    public const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """;

    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["apps/web/deployment.yaml"] = Deployment,
        ["apps/web/service.yaml"] = Service,
        ["README.md"] = "# Platform manifests\n",
    };

    public static readonly WriteBackChange Rollback = new("Deployment", "web", "nginx", WriteBackChange.Image, "nginx:1.26", "nginx:1.25");

    public static GitWriteBackRequest Request(string url, WriteBackMode mode = WriteBackMode.Direct, string branch = "main", string path = "apps/web",
        GitCredentials? credentials = null, string incident = "web-crashloop") =>
        new(url, branch, path, mode, "shop", incident, [Rollback],
            new WriteBackMessageParts("shop", incident, "4", "pods crash-looped after the rollout to nginx:1.26", [Rollback]),
            credentials ?? GitCredentials.None);
}
