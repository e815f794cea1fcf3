using System.Text;
using CsCheck;
using IncidentResponder.Core.Alerts;
using IncidentResponder.Core.Quantities;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Core.Tests.Properties;

/// <summary>
/// Parsers that read what users and other systems write are total: any input gives a value or a refusal, never an
/// exception, and what they accept prints back to something they read as the same value. Each property runs a fixed
/// number of generated cases; a failure prints the CsCheck seed that reproduces it.
/// </summary>
public sealed class ParserTotalityTests
{
    // Built from the characters that matter to the parsers, so digits, units and separators land in every position.
    private static readonly Gen<string> DurationText = Gen.String[Gen.Char["0123456789.hmsuµn -+e"], 0, 40];
    private static readonly Gen<string> QuantityText = Gen.String[Gen.Char["0123456789.kKMGTPEi -+e"], 0, 40];

    [Fact]
    public void Go_durations_never_throw_and_what_parses_formats_back_to_the_same_span()
    {
        DurationText.Sample(text =>
        {
            if (GoDuration.TryParse(text, out var value))
            {
                Assert.True(value >= TimeSpan.Zero);
                Assert.True(GoDuration.TryParse(GoDuration.Format(value), out var again));
                Assert.Equal(value, again);
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Any_span_formats_as_a_go_duration_that_parses_back_to_it()
    {
        Gen.Long[0, TimeSpan.MaxValue.Ticks].Sample(ticks =>
        {
            var span = TimeSpan.FromTicks(ticks);
            Assert.True(GoDuration.TryParse(GoDuration.Format(span), out var again), GoDuration.Format(span));
            Assert.Equal(span, again);
        }, iter: 50_000);
    }

    [Fact]
    public void Memory_quantities_never_throw()
    {
        QuantityText.Sample(text =>
        {
            if (MemoryQuantity.TryParse(text, out var value))
            {
                Assert.True(value.Bytes >= 0);
            }
        }, iter: 50_000);
    }

    [Fact]
    public void Any_bytes_posted_as_an_alert_group_are_parsed_or_refused_never_thrown()
    {
        var json = Gen.OneOf(
            Gen.Byte.Array[0, 200],
            Gen.String[Gen.Char["{}[]\":,0123456789abcdeflnrstu "], 0, 200].Select(s => Encoding.UTF8.GetBytes(s)),
            Gen.String[0, 40].Select(s => Encoding.UTF8.GetBytes($$$"""{"version":"4","groupKey":"{{{s}}}","status":"firing","alerts":[{"status":"firing","labels":{"alertname":"{{{s}}}"}}]}""")));
        json.Sample(bytes =>
        {
            var parsed = AlertGroupParser.Parse(bytes);
            Assert.True(parsed.Group is not null ^ parsed.Problem is not null);
        }, iter: 20_000);
    }
}
