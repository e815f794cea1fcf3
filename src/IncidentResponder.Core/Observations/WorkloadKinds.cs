namespace IncidentResponder.Core.Observations;

/// <summary>The workload kinds an incident may target, and what each allows.</summary>
public static class WorkloadKinds
{
    public const string Deployment = "Deployment";
    public const string StatefulSet = "StatefulSet";
    public const string DaemonSet = "DaemonSet";
    public const string CronJob = "CronJob";

    /// <summary>spec.updateStrategy.type under which the controller replaces a pod only once a person deletes it.</summary>
    public const string OnDeleteStrategy = "OnDelete";

    /// <summary>The kind an incident names, Deployment when it names none (the API's default).</summary>
    public static string Of(string? kind) => string.IsNullOrEmpty(kind) ? Deployment : kind;

    /// <summary>Kinds whose revisions are ControllerRevisions rather than ReplicaSets.</summary>
    public static bool KeepsControllerRevisions(string kind) => kind is StatefulSet or DaemonSet;

    /// <summary>A DaemonSet runs one pod per node: its size is the nodes', not a replica count anybody sets.</summary>
    public static bool Scales(string kind) => kind is Deployment or StatefulSet;
}
