using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

/// <summary>How a severity is written for people: in reasons, timelines and notifications.</summary>
public static class SeverityNames
{
    /// <summary>"SEV-1" for <see cref="Severity.Sev1"/>, and so on.</summary>
    public static string Name(this Severity severity) => $"SEV-{(int)severity}";
}
