using System.Text.Json.Nodes;
using IncidentResponder.Simulator.Storage;

namespace IncidentResponder.Simulator.Defaulting;

/// <summary>
/// The defaults kube-apiserver gives StatefulSets, DaemonSets, Jobs and CronJobs (pkg/apis/apps/v1 and batch/v1
/// defaults.go), and the selector the Job strategy generates, so clients such as <c>kubectl rollout status</c> see
/// the fields they test (an update strategy, a partition) exactly as a real cluster fills them.
/// </summary>
internal static class WorkloadDefaults
{
    /// <summary>The label the Job strategy puts on the template and in the generated selector.</summary>
    public const string JobControllerUid = "batch.kubernetes.io/controller-uid";

    public const string JobName = "batch.kubernetes.io/job-name";

    public static void StatefulSet(JsonObject spec)
    {
        spec["replicas"] ??= 1;
        spec["podManagementPolicy"] ??= "OrderedReady";
        spec["revisionHistoryLimit"] ??= 10;
        var strategy = Child(spec, "updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if (ObjectRules.Str(strategy["type"]) == "RollingUpdate")
        {
            Child(strategy, "rollingUpdate")["partition"] ??= 0;
        }

        var retention = Child(spec, "persistentVolumeClaimRetentionPolicy");
        retention["whenDeleted"] ??= "Retain";
        retention["whenScaled"] ??= "Retain";
    }

    public static void DaemonSet(JsonObject spec)
    {
        spec["revisionHistoryLimit"] ??= 10;
        var strategy = Child(spec, "updateStrategy");
        strategy["type"] ??= "RollingUpdate";
        if (ObjectRules.Str(strategy["type"]) == "RollingUpdate")
        {
            var rolling = Child(strategy, "rollingUpdate");
            rolling["maxUnavailable"] ??= 1;
            rolling["maxSurge"] ??= 0;
        }
    }

    /// <summary>
    /// Job defaults, and on create the selector the Job strategy generates from the Job's uid (unless
    /// <c>manualSelector</c>): the template is labelled so its pods match, with the legacy keys kept beside the new ones.
    /// </summary>
    public static void Job(JsonObject job, JsonObject spec, JsonObject? old)
    {
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }

        spec["parallelism"] ??= 1;
        spec["backoffLimit"] ??= 6;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;
        spec["podReplacementPolicy"] ??= "TerminatingOrFailed";
        if (old is not null || spec["manualSelector"]?.GetValue<bool>() == true)
        {
            return;
        }

        var uid = ObjectRules.Str(job["metadata"]?["uid"]) ?? string.Empty;
        var name = ObjectRules.Str(job["metadata"]?["name"]) ?? string.Empty;
        spec["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { [JobControllerUid] = uid } };
        var labels = Child(Child(Child(spec, "template"), "metadata"), "labels");
        labels[JobControllerUid] = uid;
        labels[JobName] = name;
        labels["controller-uid"] = uid;
        labels["job-name"] = name;
    }

    public static void CronJob(JsonObject spec)
    {
        spec["concurrencyPolicy"] ??= "Allow";
        spec["suspend"] ??= false;
        spec["successfulJobsHistoryLimit"] ??= 3;
        spec["failedJobsHistoryLimit"] ??= 1;
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
}
