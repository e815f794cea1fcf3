using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IncidentResponder.Api.V1Alpha1;

namespace IncidentResponder.Core.Postmortems;

/// <summary>
/// The incident as a Mermaid Gantt chart, so it renders as a picture wherever Markdown does (GitHub, GitLab, most
/// wikis): detection, impact until mitigation, each action, and the resolution or escalation as milestones.
/// </summary>
public static partial class PostmortemGantt
{
    private const string DateFormat = "yyyy-MM-dd HH:mm:ss";

    // Mermaid task lines split on ':' and ',' and treat '#' and ';' specially; names keep only plain characters.
    [GeneratedRegex(@"[:;,#]", RegexOptions.CultureInvariant)]
    private static partial Regex Unsafe();

    public static void Write(StringBuilder md, PostmortemFacts facts)
    {
        ArgumentNullException.ThrowIfNull(md);
        ArgumentNullException.ThrowIfNull(facts);
        md.Append("```mermaid\ngantt\n");
        md.Append(CultureInfo.InvariantCulture, $"    title {Name($"{facts.Name} ({facts.Severity})")}\n");
        md.Append("    dateFormat YYYY-MM-DD HH:mm:ss\n    axisFormat %H:%M:%S\n");
        md.Append("    section Incident\n");
        if (facts.DetectedAt is { } detected)
        {
            var opened = facts.OpenedAt ?? detected;
            Task(md, "Detection", "done", "detect", detected, opened);
            var end = facts.ImpactEnd ?? facts.EscalatedAt ?? facts.Actions.Select(a => Utc(a.FinishedAt) ?? Utc(a.StartedAt)).Max() ?? opened;
            Task(md, facts.MitigatedAt is null ? "Impact (not mitigated)" : "Impact until mitigation", "crit", "impact", detected, end);
        }

        if (facts.ResolvedAt is { } resolved)
        {
            Milestone(md, "Resolved", "resolved", resolved);
        }

        if (facts.EscalatedAt is { } escalated)
        {
            Milestone(md, "Escalated", "escalated", escalated);
        }

        var actions = facts.Actions.Where(a => a.StartedAt is not null).ToList();
        if (actions.Count > 0)
        {
            md.Append("    section Actions\n");
            for (var i = 0; i < actions.Count; i++)
            {
                var a = actions[i];
                var start = Utc(a.StartedAt)!.Value;
                var state = a.Phase switch
                {
                    ActionPhase.Succeeded => "done",
                    ActionPhase.Failed => "crit",
                    ActionPhase.Running or ActionPhase.Pending => "active",
                    _ => null,
                };
                Task(md, $"{a.Step} {a.Type} {a.Phase}", state, string.Create(CultureInfo.InvariantCulture, $"action{i + 1}"), start, Utc(a.FinishedAt) ?? start);
            }
        }

        md.Append("```\n\n");
    }

    private static void Task(StringBuilder md, string name, string? state, string id, DateTimeOffset start, DateTimeOffset end)
    {
        var tags = state is null ? id : $"{state}, {id}";
        md.Append(CultureInfo.InvariantCulture, $"    {Name(name)} :{tags}, {Stamp(start)}, {Stamp(end < start ? start : end)}\n");
    }

    private static void Milestone(StringBuilder md, string name, string id, DateTimeOffset at) =>
        md.Append(CultureInfo.InvariantCulture, $"    {name} :milestone, {id}, {Stamp(at)}, 0s\n");

    private static string Name(string text) => Unsafe().Replace(text, " ").Trim();

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static DateTimeOffset? Utc(DateTime? time) => time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
