namespace IncidentResponder.Core.Alerts;

/// <summary>Whether an alert (or a whole notification) is firing or resolved.</summary>
public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>
/// One Alertmanager webhook notification (payload version 4), validated: every field the operator relies on is
/// present and well-typed. Fields the operator does not use are kept only where they help a person reading the record.
/// </summary>
/// <param name="GroupKey">Alertmanager's identity of the alert group: one group, one incident per target.</param>
/// <param name="TruncatedAlerts">How many alerts Alertmanager left out because of the receiver's max_alerts.</param>
public sealed record AlertGroup(
    string GroupKey,
    AlertStatus Status,
    string Receiver,
    IReadOnlyDictionary<string, string> GroupLabels,
    IReadOnlyDictionary<string, string> CommonLabels,
    IReadOnlyDictionary<string, string> CommonAnnotations,
    string? ExternalUrl,
    long TruncatedAlerts,
    IReadOnlyList<Alert> Alerts);

/// <summary>One alert of a notification.</summary>
/// <param name="Fingerprint">
/// Alertmanager's fingerprint of the label set; older Alertmanagers omit it, and then it is computed from the labels
/// (see <see cref="AlertFingerprint"/>) so the same alert keeps the same identity across deliveries.
/// </param>
/// <param name="EndsAt">Null when Alertmanager sent its "not yet ended" zero time (0001-01-01T00:00:00Z).</param>
public sealed record Alert(
    AlertStatus Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    string? GeneratorUrl,
    string Fingerprint)
{
    public string Name => Labels.TryGetValue("alertname", out var name) && name.Length > 0 ? name : "(unnamed alert)";

    /// <summary>What the alert says, for a person: its summary, else its description, else its name.</summary>
    public string Text =>
        Annotations.TryGetValue("summary", out var summary) && !string.IsNullOrWhiteSpace(summary) ? summary
        : Annotations.TryGetValue("description", out var description) && !string.IsNullOrWhiteSpace(description) ? description
        : Name;
}
