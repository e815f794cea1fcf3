namespace IncidentResponder.Core.Time;

/// <summary>
/// When the core needs to look at something again without an API event: at a known moment (a hold expires, a
/// verification window or a stability window ends, a revert falls due), and/or on the shell's poll while state can
/// change unseen. Neither: only when something changes. The shell turns this into a requeue; it decides nothing.
/// </summary>
/// <param name="At">The next known moment, if any.</param>
/// <param name="Poll">Look again on the shell's poll interval (or sooner, at <paramref name="At"/>).</param>
public sealed record NextLook(DateTimeOffset? At, bool Poll)
{
    public static NextLook Never { get; } = new(null, Poll: false);

    public static NextLook Polling { get; } = new(null, Poll: true);

    public static NextLook When(DateTimeOffset at) => new(at, Poll: false);
}
