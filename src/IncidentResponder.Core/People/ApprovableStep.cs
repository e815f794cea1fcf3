namespace IncidentResponder.Core.People;

/// <summary>
/// Whether a person may approve a step for an incident: only a step of the incident's runbook, so a typo does not
/// sit in spec.approvals as an approval nothing will ever use while the incident keeps waiting.
/// </summary>
public static class ApprovableStep
{
    /// <returns>Null when the step may be approved, else the one line that says why not and what to pass instead.</returns>
    public static string? Refusal(string incident, string step, string? runbook, IReadOnlyCollection<string>? runbookSteps)
    {
        if (runbook is null)
        {
            return $"incident {incident} has no runbook yet, so it has no step to approve: wait for the operator to pick one (kubectl incident board)";
        }

        if (runbookSteps is null)
        {
            return $"runbook {runbook} of incident {incident} does not exist, so step {step} cannot be approved: check spec.runbookRef";
        }

        return runbookSteps.Contains(step, StringComparer.Ordinal)
            ? null
            : $"step {step} is not a step of runbook {runbook} (its steps: {(runbookSteps.Count == 0 ? "none" : string.Join(", ", runbookSteps))}): pass one of them";
    }
}
