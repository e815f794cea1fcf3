namespace IncidentResponder.Runtime.Informers;

/// <summary>What a relist changed compared with the store's previous content.</summary>
public sealed record StoreDiff<T>(IReadOnlyList<T> Added, IReadOnlyList<(T Old, T New)> Updated, IReadOnlyList<T> Deleted);
