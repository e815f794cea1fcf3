using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Actions;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Decisions;

/// <summary>
/// At most one request for a change nobody can read back: the HTTP flag provider. A ConfigMap or FeatureFlag flip is
/// read back after a restart, so a Pending intent is either found applied or sent once; an HTTP endpoint has no
/// standard read, and a process that dies after sending but before recording the answer cannot tell whether the
/// endpoint got it. Resending on every restart would be at-least-once delivery to a service whose handler may not be
/// idempotent (a POST that toggles, appends an audit entry, pages someone). What a careful SRE wants instead:
/// <list type="number">
/// <item>the intent is written with no effect;</item>
/// <item>the next decision records "dispatched" (the Pending record gets <see cref="ActionRecords.DispatchedAtKey"/>)
/// and only then, after that status write, the shell sends the request;</item>
/// <item>a Pending intent found after a restart WITHOUT the mark was never sent: send it, once;</item>
/// <item>one found WITH the mark may have been sent: it is never sent again. The record says the answer was lost, and
/// the step's verification (Available, NoNewSignal) decides whether the flip helped; if it did not, the step's
/// onFailure takes over, as for any change that did not help.</item>
/// </list>
/// The cost is one extra status write per HTTP flip; Polly's retries within one attempt are unchanged (they only
/// retry answers that say the request was not handled: network errors, timeouts, 5xx, 429).
/// </summary>
internal static class UnreadableDispatch
{
    /// <summary>Changes that cannot be observed after the fact, so must be marked dispatched before they are sent.</summary>
    public static bool Needs(ActionChange change) => change is ActionChange.FlipFlag { Provider: FeatureFlagProviderType.Http };

    /// <summary>
    /// A Pending intent of such a change: dispatch it (mark, then the effect) if it was never dispatched; otherwise
    /// record that the answer was lost and let verification decide.
    /// </summary>
    public static (List<IncidentEvent> Events, List<Effect> Effects) Recover(ActionRecord pending, ActionChange change, Effect effect)
    {
        var attempt = pending.Attempt ?? 1;
        if (pending.Details?.TryGetValue(ActionRecords.DispatchedAtKey, out var dispatchedAt) == true)
        {
            return ([new IncidentEvent.ActionApplied(pending.Step, attempt,
                $"not sent again after a restart: the request to {change.Describe()} was dispatched at {dispatchedAt} and its answer was not recorded; " +
                "a second request could repeat it at the endpoint, so verification decides whether the flip took effect",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["outcome"] = "unconfirmed: answer lost in a restart" })], []);
        }

        return ([new IncidentEvent.ActionDispatched(pending.Step, attempt, $"sending the request to {change.Describe()}")], [effect]);
    }
}
