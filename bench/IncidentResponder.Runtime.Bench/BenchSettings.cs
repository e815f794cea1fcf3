namespace IncidentResponder.Runtime.Bench;

/// <summary>The command line, validated.</summary>
internal sealed record BenchSettings(int Pods, int Updates, int SyncRuns, int Namespaces, int Workers);
