using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Storage;
using k8s.Models;

namespace IncidentResponder.Simulator.Metrics;

/// <summary>
/// The request metrics of every serving pod, as the pods' own HTTP servers would export them and one Prometheus
/// scrape would collect them: <c>http_requests_total</c> and the <c>http_request_duration_seconds</c> histogram,
/// labelled with namespace, pod, deployment, pod_template_hash (to compare revisions) and code.
/// </summary>
public static class ApplicationMetrics
{
    public const string RequestsTotal = "http_requests_total";
    public const string RequestDuration = "http_request_duration_seconds";

    /// <summary>Reads the pods (and their namespaces' <c>sim-faults</c> ConfigMaps) and renders the exposition for <paramref name="now"/>.</summary>
    public static string Render(IClusterStore store, DateTimeOffset now, SimulatedMetricsOptions settings)
    {
        var pods = store.List(BuiltinResources.Pods).Select(KubeObjects.ToTyped<V1Pod>).ToList();
        var imageFaults = pods.Select(pod => pod.Metadata.NamespaceProperty).Distinct(StringComparer.Ordinal)
            .ToDictionary(ns => ns, ns => store.Get(BuiltinResources.ConfigMaps, ns, ImageFaults.ConfigMapName)?["data"] as System.Text.Json.Nodes.JsonObject, StringComparer.Ordinal);
        var traffic = pods
            .Select(pod => PodTraffic.From(pod, imageFaults[pod.Metadata.NamespaceProperty] is { } data ? ImageFaults.Find(data, pod) : null))
            .OfType<PodTraffic>()
            .OrderBy(pod => pod.Namespace, StringComparer.Ordinal).ThenBy(pod => pod.Pod, StringComparer.Ordinal)
            .Select(pod => (Pod: pod, Series: TrafficModel.Sample(pod, now, settings)))
            .ToList();
        return Render(traffic);
    }

    public static string Render(IReadOnlyList<(PodTraffic Pod, IReadOnlyList<RequestSeries> Series)> traffic)
    {
        var writer = new ExpositionWriter();
        writer.Family(RequestsTotal, "counter", "HTTP requests the pod answered, by status code (simulated traffic).");
        foreach (var (pod, series) in traffic)
        {
            foreach (var one in series)
            {
                writer.Sample(RequestsTotal, Labels(pod, one.Code), one.Count);
            }
        }

        writer.Family(RequestDuration, "histogram", "Time the pod took to answer HTTP requests, by status code (simulated traffic).");
        foreach (var (pod, series) in traffic)
        {
            foreach (var one in series)
            {
                var labels = Labels(pod, one.Code);
                foreach (var (bound, count) in one.Buckets)
                {
                    writer.Sample(RequestDuration + "_bucket", [.. labels, ("le", ExpositionWriter.Format(bound))], count);
                }

                writer.Sample(RequestDuration + "_bucket", [.. labels, ("le", "+Inf")], one.Count);
                writer.Sample(RequestDuration + "_sum", labels, one.SumSeconds);
                writer.Sample(RequestDuration + "_count", labels, one.Count);
            }
        }

        return writer.ToString();
    }

    private static (string Name, string Value)[] Labels(PodTraffic pod, string code) =>
        [("namespace", pod.Namespace), ("pod", pod.Pod), ("deployment", pod.Deployment), ("pod_template_hash", pod.PodTemplateHash), ("code", code)];
}
