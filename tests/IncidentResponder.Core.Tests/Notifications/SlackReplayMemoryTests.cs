using IncidentResponder.Core.Notifications;

namespace IncidentResponder.Core.Tests.Notifications;

/// <summary>A Slack request accepted once is refused when it comes again, for as long as its signature could be valid.</summary>
public sealed class SlackReplayMemoryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_signature_a_second_time_is_a_replay()
    {
        var memory = new SlackReplayMemory();
        Assert.Equal(SlackReplayVerdict.First, memory.TryRemember("v0=aa", Now, Now));
        Assert.Equal(SlackReplayVerdict.Replay, memory.TryRemember("v0=aa", Now, Now.AddMinutes(4)));
        Assert.Equal(SlackReplayVerdict.First, memory.TryRemember("v0=bb", Now, Now.AddMinutes(4)));
    }

    [Fact]
    public void A_signature_is_forgotten_once_its_request_is_stale_anyway()
    {
        var memory = new SlackReplayMemory();
        memory.TryRemember("v0=aa", Now, Now);
        memory.TryRemember("v0=future", Now.AddMinutes(4), Now);

        Assert.Equal(SlackReplayVerdict.First, memory.TryRemember("v0=bb", Now, Now.AddMinutes(5)));
        Assert.Equal(2, memory.Count); // v0=aa expired; the one signed ahead of this clock is still live
        Assert.Equal(SlackReplayVerdict.Replay, memory.TryRemember("v0=future", Now.AddMinutes(4), Now.AddMinutes(8)));
    }

    [Fact]
    public void When_full_of_live_signatures_it_refuses_rather_than_forget_one()
    {
        var memory = new SlackReplayMemory(capacity: 2);
        memory.TryRemember("v0=1", Now, Now);
        memory.TryRemember("v0=2", Now, Now);

        Assert.Equal(SlackReplayVerdict.Full, memory.TryRemember("v0=3", Now, Now.AddMinutes(1)));
        Assert.Equal(SlackReplayVerdict.Replay, memory.TryRemember("v0=1", Now, Now.AddMinutes(1)));
        Assert.Equal(SlackReplayVerdict.First, memory.TryRemember("v0=3", Now, Now.AddMinutes(6)));
    }
}
