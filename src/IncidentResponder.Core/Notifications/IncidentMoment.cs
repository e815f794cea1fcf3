namespace IncidentResponder.Core.Notifications;

/// <summary>
/// Kinds of things worth telling people about, in the order they are told when they share a timestamp (an incident
/// opens before its first action, which happens before the mitigation it leads to).
/// </summary>
public enum MomentKind
{
    Opened,
    Reopened,
    Action,
    Mitigated,
    Escalated,
    Acknowledged,
    HandedBack,
    Resolved,
    Cancelled,
}

/// <summary>
/// One notifiable moment of an incident, derived from its status. Moments are ordered by (time, kind, key); a target
/// is told about every moment after the last one it heard of, so a key only needs to be unique per timestamp.
/// </summary>
/// <param name="Key">Stable text, e.g. <c>opened</c>, <c>action/rollback/1/Succeeded</c>, <c>resolved</c>; stored in the record.</param>
/// <param name="Description">One line for people: what happened.</param>
public sealed record IncidentMoment(string Key, MomentKind Kind, DateTimeOffset At, string Description) : IComparable<IncidentMoment>
{
    public int CompareTo(IncidentMoment? other) => other is null ? 1 : Compare(At, Kind, Key, other.At, other.Kind, other.Key);

    /// <summary>True when this moment comes after the one a target last heard of.</summary>
    public bool IsAfter(string lastKey, DateTimeOffset lastAt) =>
        Compare(At, Kind, Key, lastAt, KindOf(lastKey), lastKey) > 0;

    /// <summary>The kind a stored key names (keys start with the kind's lower-case name).</summary>
    public static MomentKind KindOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var head = key.Split('/')[0];
        return Enum.TryParse<MomentKind>(head, ignoreCase: true, out var kind) ? kind : MomentKind.Opened;
    }

    private static int Compare(DateTimeOffset at, MomentKind kind, string key, DateTimeOffset otherAt, MomentKind otherKind, string otherKey)
    {
        var byTime = at.CompareTo(otherAt);
        if (byTime != 0)
        {
            return byTime;
        }

        var byKind = kind.CompareTo(otherKind);
        return byKind != 0 ? byKind : string.CompareOrdinal(key, otherKey);
    }
}
