namespace IncidentResponder.Core.Observations;

/// <summary>
/// What the core needs to know about a Deployment, projected from the informer's object by the shell.
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

    /// <summary>The workload's kind: a CronJob is decided through this shape too (<see cref="Jobs.CronJobWorkload"/>).</summary>
    public string Kind { get; init; } = "Deployment";

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
