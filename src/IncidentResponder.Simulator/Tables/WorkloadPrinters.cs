using System.Globalization;
using System.Text.Json.Nodes;
using static IncidentResponder.Simulator.Tables.BuiltinPrinters;

namespace IncidentResponder.Simulator.Tables;

/// <summary>The columns kube-apiserver 1.32 prints for StatefulSets, DaemonSets, Jobs, CronJobs, ControllerRevisions and PVCs.</summary>
internal static class WorkloadPrinters
{
    public static IReadOnlyList<Column>? For(string group, string kind) => (group, kind) switch
    {
        ("apps", "StatefulSet") =>
        [
            NameColumn,
            new("Ready", "string", 0, (o, _) => $"{I(o, "status", "readyReplicas")}/{I(o, "spec", "replicas")}"),
            Age,
            new("Containers", "string", 1, (o, _) => Containers(o["spec"]?["template"], "name")),
            new("Images", "string", 1, (o, _) => Containers(o["spec"]?["template"], "image")),
        ],
        ("apps", "DaemonSet") =>
        [
            NameColumn,
            new("Desired", "integer", 0, (o, _) => I(o, "status", "desiredNumberScheduled")),
            new("Current", "integer", 0, (o, _) => I(o, "status", "currentNumberScheduled")),
            new("Ready", "integer", 0, (o, _) => I(o, "status", "numberReady")),
            new("Up-to-date", "integer", 0, (o, _) => I(o, "status", "updatedNumberScheduled")),
            new("Available", "integer", 0, (o, _) => I(o, "status", "numberAvailable")),
            new("Node Selector", "string", 0, (o, _) => NodeSelector(o)),
            Age,
            new("Containers", "string", 1, (o, _) => Containers(o["spec"]?["template"], "name")),
            new("Images", "string", 1, (o, _) => Containers(o["spec"]?["template"], "image")),
            new("Selector", "string", 1, (o, _) => Selector(o["spec"]?["selector"])),
        ],
        ("batch", "Job") =>
        [
            NameColumn,
            new("Status", "string", 0, (o, _) => JobStatus(o)),
            new("Completions", "string", 0, (o, _) => Completions(o)),
            new("Duration", "string", 0, (o, now) => JobDuration(o, now)),
            Age,
            new("Containers", "string", 1, (o, _) => Containers(o["spec"]?["template"], "name")),
            new("Images", "string", 1, (o, _) => Containers(o["spec"]?["template"], "image")),
            new("Selector", "string", 1, (o, _) => Selector(o["spec"]?["selector"])),
        ],
        ("batch", "CronJob") =>
        [
            NameColumn,
            new("Schedule", "string", 0, (o, _) => S(o, "spec", "schedule")),
            new("Timezone", "string", 0, (o, _) => S(o, "spec", "timeZone") ?? "<none>"),
            new("Suspend", "boolean", 0, (o, _) => o["spec"]?["suspend"]?.GetValue<bool>() == true ? "True" : "False"),
            new("Active", "integer", 0, (o, _) => (o["status"]?["active"] as JsonArray)?.Count ?? 0),
            new("Last Schedule", "string", 0, (o, now) => S(o, "status", "lastScheduleTime") is { } last ? Since(last, now) : "<none>"),
            Age,
            new("Containers", "string", 1, (o, _) => Containers(o["spec"]?["jobTemplate"]?["spec"]?["template"], "name")),
            new("Images", "string", 1, (o, _) => Containers(o["spec"]?["jobTemplate"]?["spec"]?["template"], "image")),
            new("Selector", "string", 1, (o, _) => Selector(o["spec"]?["jobTemplate"]?["spec"]?["selector"])),
        ],
        ("apps", "ControllerRevision") =>
        [
            NameColumn,
            new("Controller", "string", 0, (o, _) => Controller(o)),
            new("Revision", "integer", 0, (o, _) => I(o, "revision")),
            Age,
        ],
        ("", "PersistentVolumeClaim") =>
        [
            NameColumn,
            new("Status", "string", 0, (o, _) => S(o, "status", "phase")),
            new("Volume", "string", 0, (o, _) => S(o, "spec", "volumeName") ?? ""),
            new("Capacity", "string", 0, (o, _) => S(o, "status", "capacity", "storage") ?? ""),
            new("Access Modes", "string", 0, (o, _) => AccessModes(o)),
            new("StorageClass", "string", 0, (o, _) => S(o, "spec", "storageClassName") ?? "<unset>"),
            new("VolumeAttributesClass", "string", 0, (o, _) => S(o, "spec", "volumeAttributesClassName") ?? "<unset>"),
            Age,
            new("VolumeMode", "string", 1, (o, _) => S(o, "spec", "volumeMode") ?? ""),
        ],
        _ => null,
    };

    private static string Containers(JsonNode? template, string field) =>
        string.Join(',', (template?["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => S(c, field)) ?? []);

    private static string NodeSelector(JsonObject o) =>
        o["spec"]?["template"]?["spec"]?["nodeSelector"] is JsonObject selector && selector.Count > 0
            ? string.Join(',', selector.Select(pair => $"{pair.Key}={pair.Value?.GetValue<string>()}"))
            : "<none>";

    private static string JobStatus(JsonObject o)
    {
        var conditions = (o["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Where(c => S(c, "status") == "True").Select(c => S(c, "type")).ToList() ?? [];
        foreach (var type in new[] { "Failed", "Complete", "FailureTarget", "SuccessCriteriaMet", "Suspended" })
        {
            if (conditions.Contains(type))
            {
                return type;
            }
        }

        return "Running";
    }

    private static string Completions(JsonObject o)
    {
        var succeeded = I(o, "status", "succeeded");
        if (o["spec"]?["completions"] is JsonValue)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{succeeded}/{I(o, "spec", "completions")}");
        }

        var parallelism = I(o, "spec", "parallelism");
        return parallelism > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1 of {parallelism}")
            : string.Create(CultureInfo.InvariantCulture, $"{succeeded}/1");
    }

    private static string JobDuration(JsonObject o, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(S(o, "status", "startTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start))
        {
            return "";
        }

        var end = DateTimeOffset.TryParse(S(o, "status", "completionTime"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var done) ? done : now;
        return Duration.Human(end - start);
    }

    private static string Controller(JsonObject o)
    {
        var owner = (o["metadata"]?["ownerReferences"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r["controller"]?.GetValue<bool>() == true);
        if (owner is null)
        {
            return "<none>";
        }

        var apiVersion = S(owner, "apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? "." + apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        return $"{S(owner, "kind")?.ToLowerInvariant()}{group}/{S(owner, "name")}";
    }

    private static string AccessModes(JsonObject o) =>
        string.Join(',', (o["status"]?["accessModes"] as JsonArray)?.Select(mode => mode?.GetValue<string>() switch
        {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            var other => other,
        }) ?? []);
}
