using System.Globalization;
using System.Text.Json.Nodes;

namespace IncidentResponder.Simulator.Tables;

/// <summary>
/// The columns kube-apiserver's built-in printers (pkg/printers/internalversion) produce for the served kinds,
/// with the cell formats kubectl shows (READY "1/1", STATUS from container states, RESTARTS "3 (45s ago)", AGE).
/// </summary>
internal static class BuiltinPrinters
{
    public static IReadOnlyList<Column>? For(string group, string kind) => (group, kind) switch
    {
        ("", "Pod") => Pod,
        ("apps", "Deployment") => Deployment,
        ("apps", "ReplicaSet") => ReplicaSet,
        ("", "Service") => Service,
        ("", "Namespace") => [NameColumn, new("Status", "string", 0, (o, _) => S(o, "status", "phase")), Age],
        ("", "Node") => Node,
        ("", "ConfigMap") => [NameColumn, new("Data", "string", 0, (o, _) => (o["data"] as JsonObject)?.Count + (o["binaryData"] as JsonObject)?.Count ?? (o["data"] as JsonObject)?.Count ?? 0), Age],
        ("", "Secret") => [NameColumn, new("Type", "string", 0, (o, _) => S(o, "type")), new("Data", "string", 0, (o, _) => (o["data"] as JsonObject)?.Count ?? 0), Age],
        ("", "Event") => CoreEvent,
        ("events.k8s.io", "Event") => CoreEvent,
        ("coordination.k8s.io", "Lease") => [NameColumn, new("Holder", "string", 0, (o, _) => S(o, "spec", "holderIdentity")), Age],
        ("autoscaling", "HorizontalPodAutoscaler") => Hpa,
        ("", "ServiceAccount") => [NameColumn, new("Secrets", "string", 0, (o, _) => (o["secrets"] as JsonArray)?.Count ?? 0), Age],
        _ => WorkloadPrinters.For(group, kind),
    };

    public static Column NameColumn { get; } = new("Name", "string", 0, (o, _) => S(o, "metadata", "name"), "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");

    public static Column Age { get; } = new("Age", "string", 0, (o, now) => AgeOf(o, now), "", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    private static readonly Column[] Pod =
    [
        NameColumn,
        new("Ready", "string", 0, (o, _) => PodReady(o), "", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", 0, (o, _) => PodStatus(o), "", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", 0, (o, now) => PodRestarts(o, now), "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Age,
        new("IP", "string", 1, (o, _) => S(o, "status", "podIP") ?? "<none>"),
        new("Node", "string", 1, (o, _) => S(o, "spec", "nodeName") ?? "<none>"),
        new("Nominated Node", "string", 1, (o, _) => S(o, "status", "nominatedNodeName") ?? "<none>"),
        new("Readiness Gates", "string", 1, (o, _) => "<none>"),
    ];

    private static readonly Column[] Deployment =
    [
        NameColumn,
        new("Ready", "string", 0, (o, _) => $"{I(o, "status", "readyReplicas")}/{I(o, "spec", "replicas")}"),
        new("Up-to-date", "integer", 0, (o, _) => I(o, "status", "updatedReplicas")),
        new("Available", "integer", 0, (o, _) => I(o, "status", "availableReplicas")),
        Age,
        new("Containers", "string", 1, (o, _) => Containers(o, "name")),
        new("Images", "string", 1, (o, _) => Containers(o, "image")),
        new("Selector", "string", 1, (o, _) => Selector(o["spec"]?["selector"])),
    ];

    private static readonly Column[] ReplicaSet =
    [
        NameColumn,
        new("Desired", "integer", 0, (o, _) => I(o, "spec", "replicas")),
        new("Current", "integer", 0, (o, _) => I(o, "status", "replicas")),
        new("Ready", "integer", 0, (o, _) => I(o, "status", "readyReplicas")),
        Age,
        new("Containers", "string", 1, (o, _) => Containers(o, "name")),
        new("Images", "string", 1, (o, _) => Containers(o, "image")),
        new("Selector", "string", 1, (o, _) => Selector(o["spec"]?["selector"])),
    ];

    private static readonly Column[] Service =
    [
        NameColumn,
        new("Type", "string", 0, (o, _) => S(o, "spec", "type") ?? "ClusterIP"),
        new("Cluster-IP", "string", 0, (o, _) => S(o, "spec", "clusterIP") ?? "<none>"),
        new("External-IP", "string", 0, (o, _) => "<none>"),
        new("Port(s)", "string", 0, (o, _) => (o["spec"]?["ports"] as JsonArray)?.OfType<JsonObject>().Select(p => $"{p["port"]}/{S(p, "protocol") ?? "TCP"}").DefaultIfEmpty("<none>").Aggregate((a, b) => a + "," + b) ?? "<none>"),
        Age,
        new("Selector", "string", 1, (o, _) => o["spec"]?["selector"] is JsonObject sel && sel.Count > 0 ? string.Join(',', sel.Select(p => $"{p.Key}={JsonPathLite.Text(p.Value!)}")) : "<none>"),
    ];

    private static readonly Column[] Node =
    [
        NameColumn,
        new("Status", "string", 0, (o, _) => (o["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => S(c, "type") == "Ready" && S(c, "status") == "True") == true ? "Ready" : "NotReady"),
        new("Roles", "string", 0, (o, _) => "<none>"),
        Age,
        new("Version", "string", 0, (o, _) => S(o, "status", "nodeInfo", "kubeletVersion") ?? string.Empty),
        new("Internal-IP", "string", 1, (o, _) => (o["status"]?["addresses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(a => S(a, "type") == "InternalIP") is { } a ? S(a, "address") : "<none>"),
    ];

    private static readonly Column[] CoreEvent =
    [
        new("Last Seen", "string", 0, (o, now) => Since(S(o, "lastTimestamp") ?? S(o, "deprecatedLastTimestamp") ?? S(o, "eventTime"), now)),
        new("Type", "string", 0, (o, _) => S(o, "type")),
        new("Reason", "string", 0, (o, _) => S(o, "reason")),
        new("Object", "string", 0, (o, _) => (o["involvedObject"] ?? o["regarding"]) is JsonObject r ? $"{S(r, "kind")?.ToLowerInvariant()}/{S(r, "name")}" : string.Empty),
        new("Message", "string", 0, (o, _) => (S(o, "message") ?? S(o, "note"))?.Trim()),
        new("Subobject", "string", 1, (o, _) => S(o, "involvedObject", "fieldPath") ?? string.Empty),
        new("Source", "string", 1, (o, _) => S(o, "source", "component") ?? S(o, "reportingComponent") ?? string.Empty),
        new("First Seen", "string", 1, (o, now) => Since(S(o, "firstTimestamp") ?? S(o, "eventTime"), now)),
        new("Count", "integer", 1, (o, _) => I(o, "count")),
        new("Name", "string", 1, (o, _) => S(o, "metadata", "name")),
    ];

    private static readonly Column[] Hpa =
    [
        NameColumn,
        new("Reference", "string", 0, (o, _) => $"{S(o, "spec", "scaleTargetRef", "kind")}/{S(o, "spec", "scaleTargetRef", "name")}"),
        new("Targets", "string", 0, (o, _) => "<unknown>"),
        new("MinPods", "string", 0, (o, _) => (o["spec"]?["minReplicas"] ?? JsonValue.Create(1))!.ToJsonString()),
        new("MaxPods", "integer", 0, (o, _) => I(o, "spec", "maxReplicas")),
        new("Replicas", "integer", 0, (o, _) => I(o, "status", "currentReplicas")),
        Age,
    ];

    internal static string? S(JsonNode? node, params string[] path)
    {
        foreach (var part in path)
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    internal static long I(JsonNode? node, params string[] path)
    {
        foreach (var part in path)
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
    }

    private static string AgeOf(JsonObject o, DateTimeOffset now) => Since(S(o, "metadata", "creationTimestamp"), now);

    internal static string Since(string? timestamp, DateTimeOffset now) =>
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? Duration.Human(now - t) : "<unknown>";

    private static string Containers(JsonObject o, string field) =>
        string.Join(',', (o["spec"]?["template"]?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => S(c, field)) ?? []);

    internal static string Selector(JsonNode? selector)
    {
        var parts = new List<string>();
        if (selector?["matchLabels"] is JsonObject labels)
        {
            parts.AddRange(labels.Select(p => $"{p.Key}={JsonPathLite.Text(p.Value!)}"));
        }

        if (selector?["matchExpressions"] is JsonArray expressions)
        {
            foreach (var e in expressions.OfType<JsonObject>())
            {
                var values = string.Join(',', (e["values"] as JsonArray)?.Select(v => JsonPathLite.Text(v!)) ?? []);
                parts.Add(S(e, "operator") switch
                {
                    "In" => $"{S(e, "key")} in ({values})",
                    "NotIn" => $"{S(e, "key")} notin ({values})",
                    "Exists" => S(e, "key")!,
                    _ => $"!{S(e, "key")}",
                });
            }
        }

        return parts.Count == 0 ? "<none>" : string.Join(',', parts);
    }

    private static string PodReady(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>().Count(c => c["ready"] is JsonValue v && v.TryGetValue<bool>(out var r) && r) ?? 0;
        return $"{ready}/{total}";
    }

    /// <summary>printPod's STATUS: the pod reason, else the last container waiting/terminated reason, else the phase; Terminating when deleted.</summary>
    private static string PodStatus(JsonObject pod)
    {
        var reason = S(pod, "status", "reason") ?? S(pod, "status", "phase") ?? "Unknown";
        foreach (var status in ((pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? []).Reverse())
        {
            if (S(status, "state", "waiting", "reason") is { Length: > 0 } waiting)
            {
                reason = waiting;
                break;
            }

            if (status["state"]?["terminated"] is JsonObject terminated)
            {
                reason = S(terminated, "reason") ?? (terminated["signal"] is JsonValue sig ? $"Signal:{sig}" : $"ExitCode:{terminated["exitCode"]}");
                break;
            }
        }

        if (pod["metadata"]?["deletionTimestamp"] is not null)
        {
            reason = S(pod, "status", "reason") == "NodeLost" ? "Unknown" : "Terminating";
        }

        return reason;
    }

    private static string PodRestarts(JsonObject pod, DateTimeOffset now)
    {
        var restarts = 0L;
        DateTimeOffset? last = null;
        foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            restarts += I(status, "restartCount");
            if (DateTimeOffset.TryParse(S(status, "lastState", "terminated", "finishedAt"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var finished)
                && (last is null || finished > last))
            {
                last = finished;
            }
        }

        return last is { } l && restarts > 0 ? $"{restarts} ({Duration.Human(now - l)} ago)" : restarts.ToString(CultureInfo.InvariantCulture);
    }
}
