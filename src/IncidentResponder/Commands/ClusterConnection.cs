using IncidentResponder.Core.Time;
using IncidentResponder.Operator.Hosting;
using k8s;

namespace IncidentResponder.Commands;

/// <summary>How <c>run</c> and <c>postmortem</c> find their cluster, and where <c>run</c>'s Lease lives.</summary>
internal static class ClusterConnection
{
    private const string NamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>
    /// --kubeconfig when given (waiting up to <paramref name="wait"/> for it to appear: <c>sim</c> started just before
    /// writes it once it listens), else the in-cluster service account, else $KUBECONFIG, else ~/.kube/config. None of
    /// them is a <see cref="UserError"/>, never the client's own fallback: http://localhost:8080 is no cluster, and
    /// talking to it would log failures forever. Requests carry the operator's user agent, so audit logs tell its writes from people's.
    /// </summary>
    public static async Task<KubernetesClientConfiguration> ConfigurationAsync(FileInfo? kubeconfig, TimeSpan wait, TextWriter status, CancellationToken ct)
    {
        KubernetesClientConfiguration configuration;
        if (kubeconfig is not null)
        {
            await WaitForAsync(kubeconfig, wait, status, ct).ConfigureAwait(false);
            configuration = FromFile($"--kubeconfig {kubeconfig.FullName}", kubeconfig.FullName);
        }
        else if (KubernetesClientConfiguration.IsInCluster())
        {
            configuration = KubernetesClientConfiguration.InClusterConfig();
        }
        else if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } variable)
        {
            configuration = Load($"$KUBECONFIG ({variable})", KubernetesClientConfiguration.BuildDefaultConfig);
        }
        else if (File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation))
        {
            configuration = FromFile(KubernetesClientConfiguration.KubeConfigDefaultLocation, KubernetesClientConfiguration.KubeConfigDefaultLocation);
        }
        else
        {
            throw new UserError("no cluster to talk to: pass --kubeconfig <path>, set KUBECONFIG, or create ~/.kube/config (this is not a pod in a cluster)");
        }

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

    private static async Task WaitForAsync(FileInfo kubeconfig, TimeSpan wait, TextWriter status, CancellationToken ct)
    {
        if (kubeconfig.Exists || wait <= TimeSpan.Zero)
        {
            return;
        }

        await status.WriteLineAsync($"waiting up to {GoDuration.Format(wait)} for --kubeconfig {kubeconfig.FullName} to be written (--kubeconfig-wait)").ConfigureAwait(false);
        await status.FlushAsync(ct).ConfigureAwait(false);
        var until = TimeProvider.System.GetTimestamp() + (long)(wait.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!File.Exists(kubeconfig.FullName) && TimeProvider.System.GetTimestamp() < until)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct).ConfigureAwait(false);
        }
    }

    private static KubernetesClientConfiguration FromFile(string source, string path) =>
        File.Exists(path)
            ? Load(source, () => KubernetesClientConfiguration.BuildConfigFromConfigFile(path))
            : throw new UserError($"{source} does not exist: pass the path of a kubeconfig (kubectl's, or the one 'incident-responder sim --kubeconfig' writes)");

    /// <summary>Loading a kubeconfig fails only on what is in the file (YAML, a missing context or server) or on reading it.</summary>
    private static KubernetesClientConfiguration Load(string source, Func<KubernetesClientConfiguration> load)
    {
        try
        {
            return load();
        }
        catch (Exception unusable) when (unusable is not OperationCanceledException)
        {
            throw new UserError($"{source} is not a usable kubeconfig ({CommandLineInvocation.OneLine(unusable.Message)}): fix it, or pass another with --kubeconfig", unusable);
        }
    }
}
