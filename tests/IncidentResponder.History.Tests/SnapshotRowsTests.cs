using IncidentResponder.Api.V1Alpha1;
using static IncidentResponder.Testing.SampleIncidents;

namespace IncidentResponder.History.Tests;

/// <summary>The pure mapping of an Incident to rows (no database).</summary>
public sealed class SnapshotRowsTests
{
    [Fact]
    public void An_entry_keeps_its_key_when_the_status_trims_the_entries_before_it()
    {
        var before = TimelineKeys.Keyed([Entry(T0, TimelineEntryType.Detected, "d"), Entry(T0.AddSeconds(1), TimelineEntryType.Action, "a"), Entry(T0.AddSeconds(2), TimelineEntryType.Phase, "p")]);
        var after = TimelineKeys.Keyed([Entry(T0, TimelineEntryType.Detected, "d"), Entry(T0.AddSeconds(1), TimelineEntryType.Note, "1 earlier entries omitted"), Entry(T0.AddSeconds(2), TimelineEntryType.Phase, "p")]);

        Assert.Equal([before[0].Key, before[2].Key], after.Select(e => e.Key));
    }

    [Fact]
    public void Identical_entries_get_different_keys_and_a_changed_message_a_new_one()
    {
        var twin = Entry(T0, TimelineEntryType.Guardrail, "refused");
        var keys = TimelineKeys.Keyed([twin, Entry(twin.Time, twin.Type, twin.Message), Entry(twin.Time, twin.Type, "refused!")]).Select(e => e.Key).ToList();

        Assert.Equal(3, keys.Distinct().Count());
    }

    [Fact]
    public void Rows_carry_the_api_names_of_enums_and_the_status_severity()
    {
        var incident = Incident(severity: Severity.Sev3);
        incident.Status!.Severity = Severity.Sev1; // escalated since it was declared

        var rows = SnapshotRows.From(new IncidentSnapshot(incident, DateTimeOffset.UtcNow));

        Assert.Equal(("SEV-1", "CrashLoop", "Resolved", "Detector"), (rows.Incident.Severity, rows.Incident.SignalType, rows.Incident.Phase, rows.Incident.Source));
        Assert.Equal(("RolloutUndo", "Succeeded", 1), (rows.Actions[0].Type, rows.Actions[0].Phase, rows.Actions[0].Attempt));
        Assert.Contains("nginx:1.26", rows.Incident.ChangeJson, StringComparison.Ordinal);
    }

    [Fact]
    public void An_incident_without_a_uid_cannot_be_recorded()
    {
        var incident = Incident();
        incident.Metadata.Uid = null;

        Assert.Throws<ArgumentException>(() => SnapshotRows.From(new IncidentSnapshot(incident, DateTimeOffset.UtcNow)));
    }
}
