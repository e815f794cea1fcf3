using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// Something the shell must do in the cluster. The shell writes the decision's status FIRST (the intent), then
/// performs the effect, then reports the outcome as an event; that order is what makes a crash harmless.
/// </summary>
public abstract record Effect(string Step, int Attempt)
{
    /// <summary>
    /// Roll the target back to <paramref name="To"/>'s template, as kubectl rollout undo does, writing
    /// <paramref name="ActionAnnotation"/> in the same patch. With <paramref name="DryRun"/>, a server-side dry run only;
    /// the shell then reports <see cref="Incidents.IncidentEvent.DryRunRecorded"/> with the result.
    /// </summary>
    /// <param name="ForceRecreateStuckPods">
    /// StatefulSets: after the revert, delete the pods still crash-looping on another revision, which OrderedReady
    /// would otherwise wait on forever (the runbook's rolloutUndo.forceRecreateStuckPods).
    /// </param>
    public sealed record RollBack(string Step, int Attempt, ReplicaSetObservation To, string ActionAnnotation, bool DryRun, bool ForceRecreateStuckPods = false) : Effect(Step, Attempt);

    /// <summary>
    /// Any other cluster-changing action of a runbook step (Scale, RaiseMemoryLimit, FeatureFlag, RestartRollout).
    /// <paramref name="Change"/> is the exact change to make (absolute values, the expected current value, the
    /// originals); the shell performs it, writing <paramref name="ActionAnnotation"/> in the same patch when the change
    /// patches the Deployment. With <paramref name="DryRun"/>, a server-side dry run only.
    /// </summary>
    public sealed record RunAction(string Step, int Attempt, RunbookAction Action, string ActionAnnotation, bool DryRun, Actions.ActionChange? Change = null)
        : Effect(Step, Attempt);

    /// <summary>
    /// Undo an earlier change after the incident resolved and stayed stable (scale back, flip a flag back).
    /// <paramref name="Change"/> goes from the value this incident set back to the original; the shell applies it only
    /// if the current value is still the one this incident set (a JSON patch "test"), then reports ActionApplied.
    /// </summary>
    public sealed record Revert(string Step, int Attempt, Actions.ActionChange Change, string ActionAnnotation) : Effect(Step, Attempt);

    /// <summary>
    /// Pause the target's GitOps owner with <paramref name="PausePatch"/> (a JSON merge patch that also marks it with the
    /// incident) before the step's change, so the tool does not undo it. Part of the step's recorded intent; the shell
    /// sends it only when the owner does not carry this incident's mark yet.
    /// </summary>
    public sealed record PauseOwner(string Step, int Attempt, GitOps.GitOpsOwner Owner, string PausePatch, string PausedBy) : Effect(Step, Attempt);

    /// <summary>Tell people (notifications, Kubernetes Events): the incident was escalated.</summary>
    public sealed record Notify(string Step, int Attempt, string Message) : Effect(Step, Attempt);
}
