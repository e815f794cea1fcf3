using System.ComponentModel;

namespace IncidentResponder.Api.V1Alpha1;

/// <summary>The mitigations a Runbook step can run.</summary>
[Description("The action a step runs.")]
public enum ActionType
{
    /// <summary>Roll the Deployment back, as kubectl rollout undo does (or to the last known good revision).</summary>
    RolloutUndo,

    /// <summary>Scale horizontally (through the HPA when one targets the Deployment).</summary>
    Scale,

    /// <summary>Raise a container's memory limit by a capped factor.</summary>
    RaiseMemoryLimit,

    /// <summary>Flip a feature flag through a provider.</summary>
    FeatureFlag,

    /// <summary>Restart the rollout, as kubectl rollout restart does.</summary>
    RestartRollout,

    /// <summary>Hand the incident to people, with guidance.</summary>
    Escalate,

    /// <summary>Write a note in the timeline; changes nothing.</summary>
    Note,
}
