using System.Globalization;
using System.Text;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>The write-back figures as a markdown table, with the waits that are inside them.</summary>
internal static class WriteBackTable
{
    public static bool Complete(IReadOnlyList<WriteBackOutcome> outcomes) =>
        outcomes.All(o => o.Rollback is not null && o.Pushed is not null && o.Resumed is not null);

    public static string Render(IReadOnlyList<WriteBackOutcome> outcomes, WriteBackFacts f)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"Load average (1/5/15 min) at start: {f.LoadAtStart}; at end: {f.LoadAtEnd}; {Environment.ProcessorCount} cores; .NET {Environment.Version}"));
        text.AppendLine(Invariant($"{f.Apps} apps in one repository, {f.Apps} bad commits back to back (with refreshes) in {f.CommitSpan.TotalSeconds:F1} s; holdFor {f.HoldFor}, verify window {f.VerifyWindow}, Argo CD reconciliation every {f.ArgoCdInterval.TotalSeconds:0} s, kubelet x20, store polled every 20 ms"));
        text.AppendLine();
        text.AppendLine(Invariant($"| From the first bad pod in CrashLoopBackOff (store) | n | p50 ms | p99 ms | max ms |"));
        text.AppendLine("|---|---:|---:|---:|---:|");
        Row(text, "rollback accepted (template image back to good)", outcomes, o => o.Rollback);
        Row(text, "revert commit pushed (writeBack.phase Pushed)", outcomes, o => o.Pushed);
        Row(text, "owner resumed (pause.phase Resumed)", outcomes, o => o.Resumed);
        text.AppendLine();
        var distinct = outcomes.Select(o => o.Commit).Where(c => c is not null).Distinct(StringComparer.Ordinal).Count();
        text.AppendLine(Invariant($"Revert commits: {distinct} distinct commits named by {outcomes.Count(o => o.Commit is not null)} incidents; {f.RevertCommitsInGit} commits on main besides the first and the bad ones"));
        var missing = outcomes.Where(o => o.Rollback is null || o.Pushed is null || o.Resumed is null).Select(o => o.App).ToList();
        if (missing.Count > 0)
        {
            text.AppendLine("Not complete (a moment not seen before the deadline): " + string.Join(", ", missing));
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, IReadOnlyList<WriteBackOutcome> outcomes, Func<WriteBackOutcome, TimeSpan?> pick)
    {
        var sample = outcomes.Select(pick).OfType<TimeSpan>().Order().ToList();
        if (sample.Count == 0)
        {
            text.AppendLine(Invariant($"| {label} | 0 | – | – | – |"));
            return;
        }

        text.AppendLine(Invariant($"| {label} | {sample.Count} of {outcomes.Count} | {Percentiles.Of(sample, 50).TotalMilliseconds:0} | {Percentiles.Of(sample, 99).TotalMilliseconds:0} | {sample[^1].TotalMilliseconds:0} |"));
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
