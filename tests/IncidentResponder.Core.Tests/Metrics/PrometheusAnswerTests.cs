using IncidentResponder.Core.Metrics;

namespace IncidentResponder.Core.Tests.Metrics;

public sealed class PrometheusAnswerTests
{
    private static string Vector(params string[] values) =>
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + string.Join(",", values.Select(v => $"{{\"metric\":{{}},\"value\":[1700000000.1,\"{v}\"]}}")) + "]}}";

    [Fact]
    public void Of_several_series_the_worst_counts()
    {
        Assert.Equal(new PrometheusAnswer.Value(0.3), PrometheusAnswer.Parse(200, Vector("0.1", "0.3"), worstIsHighest: true));
        Assert.Equal(new PrometheusAnswer.Value(0.1), PrometheusAnswer.Parse(200, Vector("0.1", "0.3"), worstIsHighest: false));
    }

    [Fact]
    public void An_empty_vector_or_only_nan_is_no_data()
    {
        Assert.IsType<PrometheusAnswer.NoData>(PrometheusAnswer.Parse(200, Vector(), true));
        Assert.IsType<PrometheusAnswer.NoData>(PrometheusAnswer.Parse(200, Vector("NaN"), true));
    }

    [Fact]
    public void A_scalar_is_a_value()
    {
        Assert.Equal(new PrometheusAnswer.Value(2), PrometheusAnswer.Parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1.5,\"2\"]}}", true));
    }

    [Fact]
    public void A_syntax_error_is_a_rejected_query_with_prometheus_own_message()
    {
        var answer = PrometheusAnswer.Parse(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end of input\"}", true);
        Assert.Equal(new PrometheusAnswer.Rejected("bad_data: 1:5: parse error: unexpected end of input"), answer);
    }

    [Theory]
    [InlineData(200, "<html>gateway</html>", "HTTP 200: the answer is not JSON")]
    [InlineData(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"overloaded\"}", "HTTP 503: unavailable: overloaded")]
    [InlineData(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}", "result type matrix")]
    [InlineData(200, "{\"hello\":1}", "not a Prometheus query answer")]
    [InlineData(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":\"x\"}]}}", "without a [time, value] sample")]
    public void Garbage_is_unavailable_and_says_what_was_wrong(int status, string body, string expected)
    {
        var answer = Assert.IsType<PrometheusAnswer.Unavailable>(PrometheusAnswer.Parse(status, body, true));
        Assert.Contains(expected, answer.Message, StringComparison.Ordinal);
    }
}
