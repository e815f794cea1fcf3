using System.Globalization;
using System.Net.Http.Headers;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Metrics;

namespace IncidentResponder.Simulator.Tests.Monitoring;

/// <summary>
/// A simulated cluster with its controllers, a fast kubelet and the application metrics listener on, and the way
/// these tests put workloads in it: a Deployment (optionally with an application fault) and a Service, applied with
/// the real kubectl.
/// </summary>
internal static class MonitoredCluster
{
    public static Task<ClusterHarness> StartAsync() =>
        ClusterHarness.StartAsync(new SimulatorOptions { Metrics = new SimulatedMetricsOptions() }.AddControllers(new ControllerManagerOptions
        {
            Kubelet = new KubeletSettings { SpeedFactor = 20 },
        }));

    /// <summary>Applies a Deployment labelled app=<paramref name="name"/> and, unless told not to, waits for its rollout.</summary>
    public static async Task DeployAsync(ClusterHarness harness, string name, int replicas, IReadOnlyDictionary<string, string>? annotations = null, bool waitForRollout = true)
    {
        var podAnnotations = annotations is null || annotations.Count == 0
            ? string.Empty
            : "      annotations:\n" + string.Concat(annotations.Select(pair => $"        {pair.Key}: \"{pair.Value}\"\n"));
        var manifest = $"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {name}
            spec:
              replicas: {replicas.ToString(CultureInfo.InvariantCulture)}
              selector:
                matchLabels:
                  app: {name}
              template:
                metadata:
                  labels:
                    app: {name}

            """ + podAnnotations + """
                spec:
                  containers:
                    - name: app
                      image: nginx:1.25
                      ports:
                        - containerPort: 8080
            """;
        (await harness.KubectlAsync("apply", "-f", harness.WriteFile($"{name}.yaml", manifest))).ShouldSucceed();
        if (waitForRollout)
        {
            (await harness.KubectlAsync("rollout", "status", $"deployment/{name}", "--timeout=60s")).ShouldSucceed();
        }
    }

    /// <summary>Applies a Service named <paramref name="name"/> selecting <c>app=<paramref name="selects"/></c>, port 80 named http.</summary>
    public static async Task ExposeAsync(ClusterHarness harness, string name, string selects)
    {
        var manifest = $"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
            spec:
              selector:
                app: {selects}
              ports:
                - name: http
                  port: 80
                  targetPort: 8080
            """;
        (await harness.KubectlAsync("apply", "-f", harness.WriteFile($"svc-{name}.yaml", manifest))).ShouldSucceed();
    }

    /// <summary>An HTTP client for the API server with the kubeconfig's bearer token; the caller disposes it.</summary>
    public static HttpClient ApiClient(ClusterHarness harness)
    {
        var http = new HttpClient { BaseAddress = harness.Cluster.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", harness.Cluster.Options.Token);
        return http;
    }
}
