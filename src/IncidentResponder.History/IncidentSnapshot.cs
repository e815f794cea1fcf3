using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.History;

/// <summary>
/// Everything the history records about one incident at one moment: the Incident as the API server holds it, the
/// timeline entries seen earlier that its bounded status has since trimmed, and its evidence and post-mortem
/// ConfigMaps when they exist.
/// </summary>
public sealed record IncidentSnapshot(Incident Incident, DateTimeOffset RecordedAt)
{
    /// <summary>Entries seen in earlier versions of the status and trimmed from it since; recorded alongside it.</summary>
    public IReadOnlyList<KeyedTimelineEntry> EarlierTimeline { get; init; } = [];

    /// <summary>The <c>evidence.md</c> key of the <c>&lt;incident&gt;-evidence</c> ConfigMap.</summary>
    public string? EvidenceMarkdown { get; init; }

    /// <summary>The <c>evidence.json</c> key of the <c>&lt;incident&gt;-evidence</c> ConfigMap.</summary>
    public string? EvidenceJson { get; init; }

    /// <summary>The <c>postmortem.md</c> key of the <c>&lt;incident&gt;-postmortem</c> ConfigMap.</summary>
    public string? PostmortemMarkdown { get; init; }
}
