using IncidentResponder.Operator.Hosting;
using k8s;

namespace IncidentResponder.Commands;

/// <summary>How <c>run</c> finds its cluster and where its Lease lives.</summary>
internal static class ClusterConnection
{
    private const string NamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>
    /// --kubeconfig when given, else the in-cluster service account, else the default kubeconfig ($KUBECONFIG or
    /// ~/.kube/config). Requests carry the operator's user agent, so audit logs tell its writes from people's.
    /// </summary>
    public static KubernetesClientConfiguration Configuration(FileInfo? kubeconfig)
    {
        var configuration = kubeconfig is not null ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig.FullName)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
        configuration.UserAgent = OperatorAssembly.UserAgent;
        return configuration;
    }

    /// <summary>The flag, else the pod's own namespace, else the install namespace in a cluster and "default" outside one.</summary>
    public static string LeaseNamespace(string? flag)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return flag;
        }

        if (File.Exists(NamespaceFile) && File.ReadAllText(NamespaceFile).Trim() is { Length: > 0 } own)
        {
            return own;
        }

        return KubernetesClientConfiguration.IsInCluster() ? "incident-responder-system" : "default";
    }

    /// <summary>The pod name in a cluster; outside one, host plus a random suffix so two local instances differ.</summary>
    public static string Identity() =>
        Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod : $"{Environment.MachineName}_{Guid.NewGuid().ToString("N")[..8]}";
}
