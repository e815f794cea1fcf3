using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Postmortems;

/// <summary>
/// The times an incident is judged against: the policy's spec.objectives, else the playbook's response phases (detect and assess
/// within 5 minutes, mitigate within 30).
/// </summary>
public sealed record ResponseTargets(TimeSpan TimeToDetect, TimeSpan TimeToMitigate)
{
    public static ResponseTargets Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30));

    public static ResponseTargets From(ResponseObjectives? objectives) => new(
        GoDuration.TryParse(objectives?.TimeToDetect, out var detect) ? detect : Default.TimeToDetect,
        GoDuration.TryParse(objectives?.TimeToMitigate, out var mitigate) ? mitigate : Default.TimeToMitigate);
}
