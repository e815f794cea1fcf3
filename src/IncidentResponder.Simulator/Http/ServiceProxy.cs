using System.Collections.Concurrent;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Metrics;
using IncidentResponder.Simulator.Storage;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace IncidentResponder.Simulator.Http;

/// <summary>
/// kube-apiserver's service proxy, <c>/api/v1/namespaces/{ns}/services/[scheme:]{name}[:{port}]/proxy/{path}</c>:
/// each request goes to the next Ready pod the Service selects (round robin), and that pod answers as its application
/// would (<see cref="ProxyAnswer"/>): <c>ok</c>, a 503 by its <c>errors</c> ratio, or late by its <c>slow</c> latency.
/// Without a Ready endpoint it answers as kube-apiserver does: 503 ServiceUnavailable, <c>no endpoints available for
/// service "name"</c>.
/// </summary>
internal sealed class ServiceProxy(ClusterStore store, SimulatorOptions options)
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);

    public async Task HandleAsync(HttpContext context, string @namespace, string target)
    {
        var (name, port) = ParseTarget(target);
        var service = store.Get(BuiltinResources.Services, @namespace, name) is { } json
            ? KubeObjects.ToTyped<V1Service>(json)
            : throw ApiErrors.NotFound(store.Registry.Get(BuiltinResources.Services), name);
        var endpoints = HasPort(service, port) ? ReadyEndpoints(service) : [];
        if (endpoints.Count == 0)
        {
            throw new StoreException(503, "ServiceUnavailable", $"no endpoints available for service \"{name}\"");
        }

        var request = _requests.AddOrUpdate($"{@namespace}/{name}", 0, (_, count) => count + 1);
        var pod = endpoints[(int)(request % endpoints.Count)];
        var answer = ProxyAnswer.For(pod.Fault, request / endpoints.Count);
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, options.Time, context.RequestAborted).ConfigureAwait(false);
        }

        context.Response.StatusCode = answer.StatusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>[scheme:]name[:port]</c>, as kube-apiserver's proxy path names a Service and one of its ports.</summary>
    private static (string Name, string? Port) ParseTarget(string target)
    {
        var parts = target.Split(':');
        return parts.Length switch
        {
            1 => (parts[0], null),
            2 => (parts[0], parts[1].Length == 0 ? null : parts[1]),
            _ => (parts[1], parts[2].Length == 0 ? null : parts[2]),
        };
    }

    private static bool HasPort(V1Service service, string? port) =>
        port is null || (service.Spec?.Ports ?? []).Any(p => p.Name == port || p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == port);

    /// <summary>The Ready, not terminating pods the Service's selector matches, by name (a selectorless Service has none).</summary>
    private List<PodTraffic> ReadyEndpoints(V1Service service)
    {
        if (service.Spec?.Selector is not { Count: > 0 } selector)
        {
            return [];
        }

        var ns = service.Metadata.NamespaceProperty;
        var faults = store.Get(BuiltinResources.ConfigMaps, ns, ImageFaults.ConfigMapName)?["data"] as System.Text.Json.Nodes.JsonObject;
        return store.List(BuiltinResources.Pods, ns, string.Join(',', selector.Select(pair => $"{pair.Key}={pair.Value}")))
            .Select(KubeObjects.ToTyped<V1Pod>)
            .Where(pod => pod.Metadata.DeletionTimestamp is null && PodConditions.IsReady(pod))
            .Select(pod => PodTraffic.From(pod, faults is null ? null : ImageFaults.Find(faults, pod)))
            .OfType<PodTraffic>()
            .OrderBy(pod => pod.Pod, StringComparer.Ordinal)
            .ToList();
    }
}
