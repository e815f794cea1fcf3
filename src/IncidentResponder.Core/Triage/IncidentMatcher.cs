using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;

namespace IncidentResponder.Core.Triage;

/// <summary>The little triage needs to know about an existing incident.</summary>
public sealed record IncidentSummary(
    string Name,
    string Target,
    IncidentPhase Phase,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyCollection<string> Fingerprints)
{
    /// <summary>Escalated and acknowledged incidents stay open (new signals join them) until a person closes them.</summary>
    public bool IsOpen => !((IncidentPhase?)Phase).IsClosed();
}

/// <summary>Where a confirmed signal goes.</summary>
public enum MatchKind
{
    /// <summary>No incident fits: open a new one.</summary>
    Open,

    /// <summary>The target has an open incident: the signal joins it.</summary>
    Join,

    /// <summary>The target's last incident closed within the reopen window: reopen it (a flapping target stays on one incident).</summary>
    Reopen,
}

public sealed record IncidentMatch(MatchKind Kind, string? IncidentName, string Reason);

/// <summary>One target, one story: joins and reopens keep a failing or flapping Deployment on one incident.</summary>
public static class IncidentMatcher
{
    public static IncidentMatch Match(
        string target,
        string fingerprint,
        IEnumerable<IncidentSummary> incidents,
        TimeSpan reopenWindow,
        DateTimeOffset now)
    {
        var ofTarget = incidents.Where(i => i.Target == target).ToList();

        // The oldest open incident wins, so two reconciles racing on a duplicate always converge on the same one.
        var open = ofTarget.Where(i => i.IsOpen).OrderBy(i => i.OpenedAt).ThenBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault();
        if (open is not null)
        {
            var already = open.Fingerprints.Contains(fingerprint);
            return new IncidentMatch(MatchKind.Join, open.Name,
                already ? $"{fingerprint} is already recorded on {open.Name}" : $"{target} already has open incident {open.Name}");
        }

        var recent = ofTarget
            .Where(i => i.ResolvedAt is { } resolved && now - resolved <= reopenWindow)
            .OrderByDescending(i => i.ResolvedAt)
            .ThenBy(i => i.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return recent is null
            ? new IncidentMatch(MatchKind.Open, null, $"no open or recently resolved incident for {target}")
            : new IncidentMatch(MatchKind.Reopen, recent.Name, $"{recent.Name} was resolved less than {Time.GoDuration.Format(reopenWindow)} ago");
    }
}
