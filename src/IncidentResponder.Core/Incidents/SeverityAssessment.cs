using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Incidents;

/// <summary>A severity and the sentence that justifies it (it goes into the timeline).</summary>
public sealed record SeverityAssessment(Severity Severity, string Reason);
