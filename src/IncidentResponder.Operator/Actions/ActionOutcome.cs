namespace IncidentResponder.Operator.Actions;

/// <summary>What an action did to the cluster, in the words that go into the incident's record.</summary>
public abstract record ActionOutcome(string Message)
{
    /// <summary>The change was made (or found already made by this very step).</summary>
    public sealed record Applied(string Message, IReadOnlyDictionary<string, string> Details) : ActionOutcome(Message);

    /// <summary>Nothing was changed, and the message says why (already matches, paused, revision gone).</summary>
    public sealed record Skipped(string Message) : ActionOutcome(Message);

    /// <summary>The API server accepted the change in a server-side dry run; nothing was persisted.</summary>
    public sealed record DryRun(string Message, IReadOnlyDictionary<string, string> Details) : ActionOutcome(Message);

    /// <summary>
    /// A server-side dry run (dryRun=All) the API server accepted, recorded the one way every action records it:
    /// <paramref name="would"/> describes the change, <paramref name="wouldBecome"/> what the object would have read.
    /// </summary>
    public static DryRun ServerDryRun(string would, string wouldBecome, Dictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(details);
        details["dryRun"] = "All";
        details["dryRunResult"] = "accepted by the API server: " + wouldBecome;
        return new DryRun($"server-side dry run accepted: would {would}", details);
    }
}
