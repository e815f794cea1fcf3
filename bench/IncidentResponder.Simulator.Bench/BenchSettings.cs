namespace IncidentResponder.Simulator.Bench;

/// <summary>The sizes one benchmark run uses (command-line options, defaults from the simulator issue's target).</summary>
internal sealed record BenchSettings(int Pods, int Deployments, int Updates, int Watchers, int ListRuns, int Namespaces);
