using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Incidents;
using IncidentResponder.Core.Tests.Fixtures;

namespace IncidentResponder.Core.Tests.Incidents;

public sealed class BoundedTimelineTests
{
    private static TimelineEntry Entry(int second, TimelineEntryType type = TimelineEntryType.Note) =>
        new() { Time = Clock.At(second).UtcDateTime, Type = type, Message = $"entry {second}" };

    private static List<TimelineEntry> Fill(int count, int max = BoundedTimeline.MaxEntries)
    {
        var timeline = BoundedTimeline.Append(null, Entry(0, TimelineEntryType.Detected), max);
        for (var i = 1; i < count; i++)
        {
            timeline = BoundedTimeline.Append(timeline, Entry(i), max);
        }

        return timeline;
    }

    [Fact]
    public void Below_the_bound_entries_are_appended_in_order()
    {
        var timeline = Fill(100);
        Assert.Equal(100, timeline.Count);
        Assert.Equal("entry 99", timeline[^1].Message);
        Assert.DoesNotContain(timeline, BoundedTimeline.IsOmittedNote);
    }

    [Fact]
    public void When_full_the_first_detected_entry_stays_and_a_note_counts_the_omitted()
    {
        var timeline = Fill(101);
        Assert.Equal(100, timeline.Count);
        Assert.Equal("entry 0", timeline[0].Message);
        Assert.Equal(TimelineEntryType.Detected, timeline[0].Type);
        Assert.Equal("2 earlier entries omitted", timeline[1].Message);
        Assert.Equal(Clock.At(2).UtcDateTime, timeline[1].Time); // the newest entry it stands for
        Assert.Equal("entry 3", timeline[2].Message);
        Assert.Equal("entry 100", timeline[^1].Message);
    }

    [Fact]
    public void The_note_keeps_counting()
    {
        var timeline = Fill(250);
        Assert.Equal(100, timeline.Count);
        Assert.Equal("entry 0", timeline[0].Message);
        Assert.Equal("151 earlier entries omitted", timeline[1].Message);
        Assert.Equal("entry 152", timeline[2].Message);
        Assert.Equal("entry 249", timeline[^1].Message);
        Assert.Single(timeline, BoundedTimeline.IsOmittedNote);
    }

    [Fact]
    public void Without_a_detected_entry_only_the_note_leads()
    {
        var timeline = new List<TimelineEntry>();
        for (var i = 0; i < 12; i++)
        {
            timeline = BoundedTimeline.Append(timeline, Entry(i), max: 10);
        }

        Assert.Equal(10, timeline.Count);
        Assert.Equal("3 earlier entries omitted", timeline[0].Message);
        Assert.Equal("entry 3", timeline[1].Message);
    }

    [Fact]
    public void The_input_is_not_changed()
    {
        var timeline = Fill(100);
        _ = BoundedTimeline.Append(timeline, Entry(500));
        Assert.Equal(100, timeline.Count);
        Assert.Equal("entry 1", timeline[1].Message);
    }

    [Fact]
    public void A_message_quoting_a_secret_is_stored_masked_and_the_rest_of_it_kept()
    {
        var quoted = new TimelineEntry
        {
            Time = Clock.At(1).UtcDateTime,
            Type = TimelineEntryType.Note,
            Message = "container app exited: {'password': 'tr0ub4dor'} with GH_TOKEN=ghp_Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0LmNbVc",
        };

        var stored = Assert.Single(BoundedTimeline.Append(null, quoted));

        Assert.Equal("container app exited: {'password': '[REDACTED]'} with GH_TOKEN=[REDACTED]", stored.Message);
    }
}
