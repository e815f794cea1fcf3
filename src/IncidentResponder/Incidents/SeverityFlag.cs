using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Commands;

namespace IncidentResponder.Incidents;

/// <summary>A severity as people write it: SEV-1 to SEV-4 (sev-2 and 2 are read the same).</summary>
internal static class SeverityFlag
{
    public static Severity Parse(string flag, string? text)
    {
        var digits = text?.Trim() is { } t && t.StartsWith("SEV-", StringComparison.OrdinalIgnoreCase) ? t[4..] : text?.Trim();
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && Enum.IsDefined(typeof(Severity), level)
            ? (Severity)level
            : throw new UserError($"{flag} {text} is not a severity: use SEV-1 (worst), SEV-2, SEV-3 or SEV-4");
    }
}
