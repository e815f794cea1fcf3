using System.Globalization;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Guardrails;

/// <summary>
/// During planned work people change the cluster on purpose, and an operator undoing their changes would fight them.
/// While one of the policy's maintenance windows is open, a step the operator would take on its own (Automatic mode)
/// is held as a dry run: computed and recorded, nothing changed. A step a person approved still acts: that person
/// decided knowing about the window. When the window closes the held step is decided again.
/// </summary>
public static class MaintenanceWindowRule
{
    public const string Rule = "maintenance-window";

    public static GuardrailDecision? Check(GuardrailInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Policy.Modes.For(input.Severity) != RemediationMode.Automatic || input.Policy.Maintenance.OpenAt(input.Now) is not { } open)
        {
            return null;
        }

        return new GuardrailDecision(GuardrailVerdict.DryRun, Rule,
            $"maintenance window {open.Name} (until {Format(open.Until)}) held step {input.Step}: dry run; it is decided again when the window closes");
    }

    /// <summary>RFC 3339 in UTC, as kubectl shows times.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
