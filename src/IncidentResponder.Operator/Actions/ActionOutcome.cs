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
}
