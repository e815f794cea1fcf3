using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Tests.Time;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("2m30.5s", 150_500)]
    [InlineData("0", 0)]
    public void Parses_go_durations(string text, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("-5m")]
    [InlineData("5")]
    [InlineData("five minutes")]
    [InlineData("5m ")]
    [InlineData("99999999999999999999h")] // past decimal's range once multiplied: refused, not thrown
    [InlineData("9999999999999999999999999999999999999999s")] // past decimal's range as written
    [InlineData("256204779h")] // past TimeSpan's range (about 10.7 million days)
    public void Rejects_what_the_schema_rejects(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Fact]
    public void Absent_text_gives_the_default() =>
        Assert.Equal(TimeSpan.FromSeconds(20), GoDuration.ParseOrDefault(null, TimeSpan.FromSeconds(20)));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(45_000, "45s")]
    [InlineData(300_000, "5m0s")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(3_600_000, "1h0m0s")]
    public void Formats_as_go_does(long milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("1h2m3s")]
    [InlineData("45s")]
    [InlineData("5m0s")]
    public void Format_and_parse_round_trip(string text) =>
        Assert.Equal(text, GoDuration.Format(GoDuration.Parse(text)));
}
