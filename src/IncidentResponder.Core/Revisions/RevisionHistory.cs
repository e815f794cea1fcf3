using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Revisions;

/// <summary>
/// What is known about one revision's life: when it became current and how long it was fully Available.
/// Kubernetes keeps none of this (kubectl only knows "previous"); the shell keeps these records so "last known good"
/// can mean "served everything, for the soak period".
/// </summary>
/// <param name="FullyAvailableSince">Start of the current fully-Available stretch, if it is fully Available now.</param>
/// <param name="LongestFullyAvailable">The longest finished fully-Available stretch.</param>
/// <param name="KnownBad">An incident blamed this revision; never roll back to it.</param>
public sealed record RevisionRecord(
    long Revision,
    DateTimeOffset BecameCurrentAt,
    DateTimeOffset? FullyAvailableSince,
    TimeSpan LongestFullyAvailable,
    bool KnownBad = false)
{
    /// <summary>Was fully Available for at least <paramref name="soak"/>, in a finished or the ongoing stretch.</summary>
    public bool Soaked(TimeSpan soak, DateTimeOffset now) =>
        LongestFullyAvailable >= soak || (FullyAvailableSince is { } since && now - since >= soak);
}

/// <summary>Per-Deployment revision records, advanced one observation at a time.</summary>
public sealed record RevisionHistory(ValueList<RevisionRecord> Records)
{
    public static RevisionHistory Empty { get; } = new(ValueList<RevisionRecord>.Empty);

    public RevisionRecord? Find(long revision) => Records.FirstOrDefault(r => r.Revision == revision);

    /// <summary>
    /// Folds one observation in: a revision seen as current for the first time starts a record; the current revision
    /// starts or continues a fully-Available stretch; a revision that stops being fully Available (or stops being
    /// current) closes its stretch into <see cref="RevisionRecord.LongestFullyAvailable"/>.
    /// Observing the same state twice changes nothing.
    /// </summary>
    public RevisionHistory Observe(DeploymentObservation deployment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (deployment.CurrentRevision is not { } current)
        {
            return this;
        }

        var records = Records.Select(r => r.Revision == current ? r : CloseStretch(r, now)).ToList();
        var record = records.Find(r => r.Revision == current);
        if (record is null)
        {
            record = new RevisionRecord(current, now, null, TimeSpan.Zero);
            records.Add(record);
        }

        var updated = deployment.FullyAvailable
            ? record with { FullyAvailableSince = record.FullyAvailableSince ?? now }
            : CloseStretch(record, now);
        records[records.IndexOf(record)] = updated;
        return new RevisionHistory(new ValueList<RevisionRecord>(records.OrderBy(r => r.Revision)));
    }

    /// <summary>Marks a revision bad (an incident blamed it), so last-known-good selection skips it.</summary>
    public RevisionHistory MarkBad(long revision, DateTimeOffset now)
    {
        var records = Records.ToList();
        var existing = records.Find(r => r.Revision == revision);
        if (existing is null)
        {
            records.Add(new RevisionRecord(revision, now, null, TimeSpan.Zero, KnownBad: true));
        }
        else
        {
            records[records.IndexOf(existing)] = existing with { KnownBad = true };
        }

        return new RevisionHistory(new ValueList<RevisionRecord>(records.OrderBy(r => r.Revision)));
    }

    private static RevisionRecord CloseStretch(RevisionRecord record, DateTimeOffset now) =>
        record.FullyAvailableSince is { } since
            ? record with
            {
                FullyAvailableSince = null,
                LongestFullyAvailable = TimeSpan.FromTicks(Math.Max(record.LongestFullyAvailable.Ticks, (now - since).Ticks)),
            }
            : record;
}
