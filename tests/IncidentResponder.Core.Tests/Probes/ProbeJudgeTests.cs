using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Probes;

namespace IncidentResponder.Core.Tests.Probes;

/// <summary>The pure probe decision: the expected status within the latency budget passes; anything else fails, saying what was seen.</summary>
public sealed class ProbeJudgeTests
{
    private static readonly ProbeSettings Web = ProbeSettings.From(new HttpProbe { Service = "web", Port = "http", Path = "/healthz", LatencyBudget = "300ms" });

    [Fact]
    public void The_expected_status_within_the_budget_passes()
    {
        var verdict = ProbeJudge.Judge(Web, new ProbeAnswer(200, TimeSpan.FromMilliseconds(120)));

        Assert.True(verdict.Passed);
        Assert.Equal("GET service web:http/healthz answered 200 in 120ms, within its 300ms budget", verdict.Reason);
    }

    [Fact]
    public void The_expected_status_over_the_budget_fails_naming_latency_and_budget()
    {
        var verdict = ProbeJudge.Judge(Web, new ProbeAnswer(200, TimeSpan.FromMilliseconds(1250)));

        Assert.False(verdict.Passed);
        Assert.Equal("GET service web:http/healthz answered 200 in 1.25s, over its 300ms budget", verdict.Reason);
        Assert.Equal((200, TimeSpan.FromMilliseconds(1250), TimeSpan.FromMilliseconds(300)), (verdict.Status, verdict.Latency, verdict.Budget));
    }

    [Fact]
    public void A_latency_exactly_at_the_budget_passes()
    {
        Assert.True(ProbeJudge.Judge(Web, new ProbeAnswer(200, TimeSpan.FromMilliseconds(300))).Passed);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(404)]
    [InlineData(204)]
    public void Another_status_fails_however_fast(int status)
    {
        var verdict = ProbeJudge.Judge(Web, new ProbeAnswer(status, TimeSpan.FromMilliseconds(2)));

        Assert.False(verdict.Passed);
        Assert.Equal($"GET service web:http/healthz answered {status} (expected 200) in 2ms", verdict.Reason);
    }

    [Fact]
    public void An_expected_non_200_status_passes_when_it_comes()
    {
        var probe = ProbeSettings.From(new HttpProbe { Url = "https://status.example.com/ready", ExpectStatus = 204 });

        var verdict = ProbeJudge.Judge(probe, new ProbeAnswer(204, TimeSpan.FromMilliseconds(40)));

        Assert.True(verdict.Passed);
        Assert.Equal("GET https://status.example.com/ready answered 204 in 40ms, within its 1s budget", verdict.Reason);
    }

    [Fact]
    public void No_answer_fails_with_the_error()
    {
        var verdict = ProbeJudge.Judge(Web, new ProbeAnswer(null, TimeSpan.FromSeconds(10), "timed out after 10s"));

        Assert.False(verdict.Passed);
        Assert.Null(verdict.Status);
        Assert.Equal("GET service web:http/healthz got no answer after 10s: timed out after 10s", verdict.Reason);
    }

    [Fact]
    public void Defaults_are_a_200_within_one_second_and_a_ten_second_timeout_on_the_services_root()
    {
        var probe = ProbeSettings.From(new HttpProbe { Service = "web" });

        Assert.Equal((200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), string.Empty), (probe.ExpectStatus, probe.LatencyBudget, probe.Timeout, probe.Path));
        Assert.Equal("service web/", probe.Describe());
    }
}
