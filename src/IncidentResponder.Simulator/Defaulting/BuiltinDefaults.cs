using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Defaulting;

/// <summary>
/// The defaulting kube-apiserver applies to built-in types (pkg/apis/*/v1/defaults.go), so objects read back look like
/// a real cluster's: Deployment strategy/revisionHistoryLimit/progressDeadlineSeconds, pod template defaults,
/// Service cluster IPs and port defaults, namespace finalizers, and Go's always-present zero structs.
/// </summary>
internal sealed class BuiltinDefaults : IAdmissionStep
{
    private int _nextClusterIp = 10;

    public void Admit(AdmissionContext context, JsonObject obj, JsonObject? old)
    {
        if (context.Subresource is not null || context.Definition.IsCustom)
        {
            return;
        }

        var type = context.Definition.Type;
        switch (type.Group, type.Kind)
        {
            case ("apps", "Deployment"):
                DefaultDeployment(Spec(obj));
                break;
            case ("apps", "ReplicaSet"):
                Spec(obj)["replicas"] ??= 1;
                DefaultTemplate(Spec(obj));
                break;
            case ("apps", "StatefulSet"):
                WorkloadDefaults.StatefulSet(Spec(obj));
                DefaultTemplate(Spec(obj));
                break;
            case ("apps", "DaemonSet"):
                WorkloadDefaults.DaemonSet(Spec(obj));
                DefaultTemplate(Spec(obj));
                break;
            case ("batch", "Job"):
                WorkloadDefaults.Job(obj, Spec(obj), old);
                DefaultTemplate(Spec(obj));
                break;
            case ("batch", "CronJob"):
                WorkloadDefaults.CronJob(Spec(obj));
                DefaultTemplate(Child(Child(Spec(obj), "jobTemplate"), "spec"));
                break;
            case ("", "Pod"):
                DefaultPodSpec(Spec(obj), bare: true);
                break;
            case ("", "Service"):
                DefaultService(obj, old);
                break;
            case ("", "Namespace"):
                DefaultNamespace(obj);
                break;
            case ("", "Event"):
                DefaultEvent(obj);
                break;
        }
    }

    private static JsonObject Spec(JsonObject obj)
    {
        if (obj["spec"] is JsonObject spec)
        {
            return spec;
        }

        spec = new JsonObject();
        obj["spec"] = spec;
        return spec;
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }

        child = new JsonObject();
        parent[name] = child;
        return child;
    }

    private static void DefaultDeployment(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        var strategy = Child(spec, "strategy");
        strategy["type"] ??= "RollingUpdate";
        if (ObjectRules.Str(strategy["type"]) == "RollingUpdate")
        {
            var rolling = Child(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= "25%";
            rolling["maxSurge"] ??= "25%";
        }

        spec["revisionHistoryLimit"] ??= 10;
        spec["progressDeadlineSeconds"] ??= 600;
        DefaultTemplate(spec);
    }

    private static void DefaultTemplate(JsonObject spec)
    {
        var template = Child(spec, "template");
        var metadata = Child(template, "metadata");

        // ObjectMeta.CreationTimestamp is a struct: Go serializes the zero value of a template's as null.
        if (!metadata.ContainsKey("creationTimestamp"))
        {
            metadata["creationTimestamp"] = null;
        }

        DefaultPodSpec(Child(template, "spec"), bare: false);
    }

    private static void DefaultPodSpec(JsonObject podSpec, bool bare)
    {
        foreach (var list in new[] { "containers", "initContainers" })
        {
            foreach (var container in (podSpec[list] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                DefaultContainer(container);
            }
        }

        podSpec["restartPolicy"] ??= "Always";
        podSpec["terminationGracePeriodSeconds"] ??= 30;
        podSpec["dnsPolicy"] ??= "ClusterFirst";
        podSpec["securityContext"] ??= new JsonObject();
        podSpec["schedulerName"] ??= "default-scheduler";
        if (bare)
        {
            // Admission (ServiceAccount, Priority) and defaulting on a created pod.
            podSpec["serviceAccountName"] ??= "default";
            podSpec["serviceAccount"] ??= podSpec["serviceAccountName"]!.DeepClone();
            podSpec["enableServiceLinks"] ??= true;
            podSpec["priority"] ??= 0;
            podSpec["preemptionPolicy"] ??= "PreemptLowerPriority";
        }
    }

    private static void DefaultContainer(JsonObject container)
    {
        container["terminationMessagePath"] ??= "/dev/termination-log";
        container["terminationMessagePolicy"] ??= "File";
        container["resources"] ??= new JsonObject();
        if (container["imagePullPolicy"] is null)
        {
            var image = ObjectRules.Str(container["image"]) ?? string.Empty;
            var lastSegment = image.Split('/')[^1];
            var untaggedOrLatest = !image.Contains('@', StringComparison.Ordinal) && (!lastSegment.Contains(':', StringComparison.Ordinal) || lastSegment.EndsWith(":latest", StringComparison.Ordinal));
            container["imagePullPolicy"] = untaggedOrLatest ? "Always" : "IfNotPresent";
        }

        foreach (var port in (container["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
        }
    }

    private void DefaultService(JsonObject service, JsonObject? old)
    {
        var spec = Spec(service);
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if (spec["clusterIP"] is null)
        {
            spec["clusterIP"] = old?["spec"]?["clusterIP"]?.DeepClone() ?? $"10.96.{(_nextClusterIp / 250) % 250}.{(_nextClusterIp++ % 250) + 1}";
        }

        if (ObjectRules.Str(spec["clusterIP"]) != "None")
        {
            spec["clusterIPs"] ??= new JsonArray(spec["clusterIP"]!.DeepClone());
        }

        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
        spec["internalTrafficPolicy"] ??= "Cluster";
        foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            port["protocol"] ??= "TCP";
            port["targetPort"] ??= port["port"]?.DeepClone();
        }

        if (service["status"] is null)
        {
            service["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
        }
    }

    /// <summary>
    /// core/v1 Event fields without omitempty, or structs (which omitempty never skips), as Go serializes their zero
    /// values: an event written through events.k8s.io/v1 reads back through core/v1 with <c>"source": {}</c> and
    /// null timestamps, and a legacy core event with <c>"eventTime": null</c>.
    /// </summary>
    private static void DefaultEvent(JsonObject ev)
    {
        ev["reportingComponent"] ??= string.Empty;
        ev["reportingInstance"] ??= string.Empty;
        ev["involvedObject"] ??= new JsonObject();
        ev["source"] ??= new JsonObject();
        foreach (var timestamp in new[] { "firstTimestamp", "lastTimestamp", "eventTime" })
        {
            if (!ev.ContainsKey(timestamp))
            {
                ev[timestamp] = null;
            }
        }
    }

    private static void DefaultNamespace(JsonObject ns)
    {
        var metadata = ObjectRules.Metadata(ns);
        var labels = Child(metadata, "labels");
        labels["kubernetes.io/metadata.name"] = ObjectRules.Str(metadata["name"]);
        var spec = Spec(ns);
        spec["finalizers"] ??= new JsonArray("kubernetes");
    }
}
