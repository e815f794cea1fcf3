namespace IncidentResponder.Core.Observations;

/// <summary>
/// What the core needs to know about a workload, projected from the informer's object by the shell. Named after the
/// first kind it described; a StatefulSet or DaemonSet is projected into the same shape (see <see cref="Kind"/>), so
/// detection, triage and revision choice judge every kind by one set of rules.
/// Immutable, so a decision can be replayed from the same observation.
/// </summary>
/// <param name="CurrentRevision">The Deployment's deployment.kubernetes.io/revision annotation, if present.</param>
/// <param name="Template">The Deployment's current pod template, for "already rolled back?" checks.</param>
public sealed record DeploymentObservation(
    string Namespace,
    string Name,
    string Uid,
    long Generation,
    long ObservedGeneration,
    int DesiredReplicas,
    int ReadyReplicas,
    int AvailableReplicas,
    int UpdatedReplicas,
    int UnavailableReplicas,
    bool Paused,
    IReadOnlyDictionary<string, string> Annotations,
    ValueList<DeploymentCondition> Conditions,
    long? CurrentRevision,
    PodTemplateSummary? Template = null)
{
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>The workload's kind: Deployment, StatefulSet or DaemonSet (<see cref="WorkloadKinds"/>); a CronJob is decided through this shape too (<see cref="Jobs.CronJobWorkload"/>).</summary>
    public string Kind { get; init; } = WorkloadKinds.Deployment;

    /// <summary>
    /// spec.updateStrategy.type of a StatefulSet or DaemonSet (RollingUpdate, OnDelete); a Deployment's strategy
    /// always replaces pods itself, so it is left null.
    /// </summary>
    public string? UpdateStrategy { get; init; }

    /// <summary>A StatefulSet with volumeClaimTemplates: every replica added gets a claim of its own that outlives it.</summary>
    public bool HasVolumeClaimTemplates { get; init; }

    /// <summary>Changing the template reaches no pod until a person deletes it: nothing here may act on its own.</summary>
    public bool UpdatesOnDelete => UpdateStrategy == WorkloadKinds.OnDeleteStrategy;

    public DeploymentCondition? Condition(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    /// <summary>The Deployment controller gave up waiting for progress (Progressing=False, ProgressDeadlineExceeded).</summary>
    public bool ProgressDeadlineExceeded =>
        Condition("Progressing") is { Status: "False", Reason: "ProgressDeadlineExceeded" };

    /// <summary>Every desired replica runs the current template and is available: what "rolled out" means.</summary>
    public bool FullyAvailable =>
        ObservedGeneration >= Generation
        && UpdatedReplicas == DesiredReplicas
        && AvailableReplicas >= DesiredReplicas
        && Condition("Available") is not { Status: "False" };

    public string? Annotation(string key) => Annotations.TryGetValue(key, out var value) ? value : null;
}

/// <summary>A Deployment status condition.</summary>
public sealed record DeploymentCondition(
    string Type,
    string Status,
    string? Reason = null,
    string? Message = null,
    DateTimeOffset? LastTransitionTime = null);
