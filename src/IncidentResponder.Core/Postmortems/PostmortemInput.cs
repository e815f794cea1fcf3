using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Postmortems;

/// <summary>Everything a post-mortem draft is written from: the Incident's record, its evidence when there is any, the targets.</summary>
public sealed record PostmortemInput(Incident Incident, EvidenceBundle? Evidence, ResponseTargets Targets);
