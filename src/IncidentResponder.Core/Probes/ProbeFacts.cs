namespace IncidentResponder.Core.Probes;

/// <summary>What the shell's probes say about an incident's target at one instant, for its verification.</summary>
/// <param name="StepProbe">The in-flight step's verify.httpProbe, run now; null when the step has none or it was not run.</param>
/// <param name="PolicyProbeFailing">A probe of the governing policy fails on the target now (threshold reached or not).</param>
public sealed record ProbeFacts(ProbeVerdict? StepProbe, bool PolicyProbeFailing);
