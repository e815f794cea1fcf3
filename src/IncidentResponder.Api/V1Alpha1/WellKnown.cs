namespace IncidentResponder.Api.V1Alpha1;

/// <summary>Labels and annotations with a meaning to the operator.</summary>
public static class WellKnown
{
    /// <summary>On a Deployment: <c>"true"</c> opts the object out of every automatic action.</summary>
    public const string PausedAnnotation = GroupVersion.Group + "/paused";

    /// <summary>On a target the operator changed: <c>&lt;incident&gt;/&lt;step&gt;</c> of the action that changed it (crash safety).</summary>
    public const string ActionAnnotation = GroupVersion.Group + "/action";

    /// <summary>On every object the operator creates, so GitOps tools (Argo CD, Flux) can ignore them.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>Value of <see cref="ManagedByLabel"/> on the operator's own objects.</summary>
    public const string ManagedByValue = "incident-responder";

    /// <summary>On objects the operator creates for an incident (e.g. its post-mortem ConfigMap).</summary>
    public const string IncidentLabel = GroupVersion.Group + "/incident";

    /// <summary>
    /// On a ReplicaSet: when the operator first saw that revision fully Available (RFC 3339, UTC). Evidence for
    /// "last known good" that outlives the operator's memory, so a restarted operator still knows which revision soaked.
    /// </summary>
    public const string AvailableSinceAnnotation = GroupVersion.Group + "/available-since";

    /// <summary>The field manager for every write the operator makes.</summary>
    public const string FieldManager = "incident-responder";
}
