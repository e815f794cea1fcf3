using System.Text;
using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Tests.Evidence;

public sealed class EvidenceBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static EvidenceInput Input(IReadOnlyList<RawLog> logs, IReadOnlyList<EventSummary>? events = null, RevisionDiff? diff = null) =>
        new("web-crashloop-r2", "shop", "web", Now, null, logs, events ?? [], [], diff);

    private static List<string> Lines(int count, string text = "INFO line") => [.. Enumerable.Range(1, count).Select(i => $"{text} {i}")];

    [Fact]
    public void Keeps_the_last_lines_of_each_log_and_counts_errors_over_all_lines_read()
    {
        var lines = Lines(200);
        lines[10] = "ERROR early failure";
        lines[199] = "FATAL exiting";

        var bundle = EvidenceBuilder.Build(Input([new RawLog("web-1", "app", false, lines)]), EvidenceLimits.Default with { MaxLinesPerLog = 20 });

        var excerpt = Assert.Single(bundle.Logs);
        Assert.Equal(20, excerpt.Lines.Count);
        Assert.Equal(180, excerpt.OmittedLines);
        Assert.Equal("FATAL exiting", excerpt.Lines[^1]);
        Assert.Equal([("fatal", 1), ("error", 1)], bundle.Errors.Select(e => (e.Pattern, e.Count)));
    }

    [Fact]
    public void A_section_stays_within_its_bytes_and_all_logs_within_the_total_with_a_note_for_what_was_left_out()
    {
        var limits = EvidenceLimits.Default with { MaxLinesPerLog = 1000, MaxBytesPerSection = 1000, MaxLogBytes = 2500 };
        var logs = Enumerable.Range(1, 4).Select(i => new RawLog($"web-{i}", "app", false, Lines(500, new string('x', 90)))).ToList();

        var bundle = EvidenceBuilder.Build(Input(logs), limits);

        Assert.All(bundle.Logs, l => Assert.True(TextBounds.Bytes(l.Lines) <= 1000));
        Assert.True(bundle.Logs.Sum(l => TextBounds.Bytes(l.Lines)) <= 2500);
        Assert.Equal(3, bundle.Logs.Count);
        Assert.Contains(bundle.Notes, n => n.Contains("web-4/app", StringComparison.Ordinal));
    }

    [Fact]
    public void Logs_events_and_the_diff_are_redacted()
    {
        var bundle = EvidenceBuilder.Build(Input(
            [new RawLog("web-1", "app", true, ["connecting with password=hunter2", "ERROR dial postgres://app:topsecret@db:5432/app refused"])],
            [new EventSummary(Now, Now, "Warning", "Failed", "Pod", "web-1", 1, "pull with token=abcdef123456 failed")],
            new RevisionDiff(2, 1, ["container app: args [--db-password=letmein] → [--db-password=letmein2]"])));

        var json = EvidenceJson.Serialize(bundle);
        foreach (var secret in new[] { "hunter2", "topsecret", "abcdef123456", "letmein" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, EvidenceMarkdown.Render(bundle), StringComparison.Ordinal);
        }

        Assert.Equal("error", Assert.Single(bundle.Errors).Pattern);
    }

    [Fact]
    public void However_noisy_the_pods_the_stored_bundle_stays_far_below_a_ConfigMap()
    {
        var huge = new string('y', 100_000);
        var logs = Enumerable.Range(1, 20).SelectMany(i => new[]
        {
            new RawLog($"web-{i}", "app", false, [.. Enumerable.Repeat(huge, 600)]),
            new RawLog($"web-{i}", "app", true, [.. Enumerable.Repeat(huge, 600)]),
        }).ToList();
        var events = Enumerable.Range(1, 500).Select(i => new EventSummary(Now, Now.AddSeconds(i), "Warning", "BackOff", "Pod", $"web-{i}", i, huge)).ToList();

        var bundle = EvidenceBuilder.Build(Input(logs, events));
        var size = Encoding.UTF8.GetByteCount(EvidenceJson.Serialize(bundle)) + Encoding.UTF8.GetByteCount(EvidenceMarkdown.Render(bundle));

        Assert.True(size < 512 * 1024, $"evidence.json + evidence.md = {size} bytes");
        Assert.Equal(EvidenceLimits.Default.MaxEvents, bundle.Events.Count);
        Assert.Equal(Now.AddSeconds(500), bundle.Events[0].LastSeen);
    }

    [Fact]
    public void The_json_reads_back_as_the_same_bundle()
    {
        var bundle = EvidenceBuilder.Build(Input([new RawLog("web-1", "app", false, ["FATAL x"]), new RawLog("web-1", "app", true, [], "previous terminated container \"app\" not found")],
            [new EventSummary(Now, Now, "Warning", "BackOff", "Pod", "web-1", 3, "Back-off restarting failed container")], new RevisionDiff(2, 1, ["container app: image a → b"])));

        var back = EvidenceJson.TryDeserialize(EvidenceJson.Serialize(bundle))!;

        Assert.Equal(EvidenceJson.Serialize(bundle), EvidenceJson.Serialize(back));
        Assert.Null(EvidenceJson.TryDeserialize("{not json"));
    }

    [Fact]
    public void A_log_line_with_backticks_cannot_close_the_markdown_fence()
    {
        var bundle = EvidenceBuilder.Build(Input([new RawLog("web-1", "app", false, ["```", "after"])]));

        var md = EvidenceMarkdown.Render(bundle);

        Assert.Contains("````text\n```\nafter\n````\n", md, StringComparison.Ordinal);
    }
}
