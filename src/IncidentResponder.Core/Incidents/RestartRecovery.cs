using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Incidents;

public enum RecoveryKind
{
    /// <summary>No action between intent and outcome: plan as usual.</summary>
    NothingInFlight,

    /// <summary>The intent was written but the change never reached the target: apply it, once.</summary>
    ApplyOnce,

    /// <summary>The change reached the target before the crash: record it as applied; do not act again.</summary>
    AlreadyApplied,

    /// <summary>The action was applied and is being verified: keep verifying.</summary>
    ContinueVerification,
}

/// <param name="Action">The in-flight action, if any.</param>
/// <param name="Event">The event that brings the record up to date (ActionApplied for AlreadyApplied), if any.</param>
public sealed record RecoveryDecision(RecoveryKind Kind, ActionRecord? Action, string Reason, IncidentEvent? Event = null);

/// <summary>
/// "Never act twice" after a crash. The record says what was intended; the target's
/// incidentresponder.dev/action annotation, written in the same patch as the change, says whether it happened.
/// </summary>
public static class RestartRecovery
{
    /// <summary>
    /// The annotation value an action writes on its target: it names one action record, so it names the attempt too.
    /// The first attempt keeps the plain "incident/step" form (what records and targets written before attempts were
    /// named still carry); a later attempt, e.g. the same step run again after a reopen, adds "/attempt". Without it the
    /// marker left by the first attempt would pass for the second one's after a restart.
    /// </summary>
    public static string AnnotationValue(string incident, string step, int attempt = 1) =>
        attempt <= 1 ? $"{incident}/{step}" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{incident}/{step}/{attempt}");

    /// <param name="targetActionAnnotation">The target's incidentresponder.dev/action annotation, if present.</param>
    /// <param name="currentTemplate">The target's pod template now.</param>
    /// <param name="intendedTemplate">
    /// The template the action sets (e.g. the rollback revision's). Null for actions that do not change the template;
    /// then the annotation alone decides.
    /// </param>
    public static RecoveryDecision Decide(
        string incidentName,
        IncidentStatus status,
        string? targetActionAnnotation,
        PodTemplateSummary? currentTemplate,
        PodTemplateSummary? intendedTemplate)
    {
        ArgumentNullException.ThrowIfNull(status);
        var action = ActionRecords.InFlight(status);
        if (action is null)
        {
            return new RecoveryDecision(RecoveryKind.NothingInFlight, null, "no action in flight");
        }

        if (action.Phase == ActionPhase.Running)
        {
            return new RecoveryDecision(RecoveryKind.ContinueVerification, action, $"step {action.Step} was applied; verifying");
        }

        var ours = targetActionAnnotation == AnnotationValue(incidentName, action.Step, action.Attempt ?? 1);
        var templateMatches = intendedTemplate is null
            || (currentTemplate is not null && currentTemplate.SameTemplateAs(intendedTemplate));
        if (ours && templateMatches)
        {
            const string message = "found applied after a restart: the target carries this step's annotation and the intended template";
            return new RecoveryDecision(RecoveryKind.AlreadyApplied, action, $"step {action.Step} {message}",
                new IncidentEvent.ActionApplied(action.Step, action.Attempt ?? 1, message));
        }

        var why = !ours
            ? $"the target's {WellKnown.ActionAnnotation} is {(targetActionAnnotation is null ? "absent" : $"'{targetActionAnnotation}'")}"
            : "the target's template differs from the intended one";
        return new RecoveryDecision(RecoveryKind.ApplyOnce, action, $"step {action.Step} was intended but not applied ({why}); applying it once");
    }
}
