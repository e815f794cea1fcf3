using IncidentResponder.Core.Evidence;

namespace IncidentResponder.Core.Tests.Evidence;

public sealed class ErrorPatternsTests
{
    [Theory]
    [InlineData("Memory cgroup out of memory: Killed process 4242 (java)", "oom")]
    [InlineData("java.lang.OutOfMemoryError: Java heap space", "oom")]
    [InlineData("panic: runtime error: index out of range [3] with length 3", "panic")]
    [InlineData("goroutine 1 [running]:", "panic")]
    [InlineData("2026-01-01 FATAL cannot continue without a database connection", "fatal")]
    [InlineData("Unhandled exception. System.InvalidOperationException: boom", "exception")]
    [InlineData("Traceback (most recent call last):", "exception")]
    [InlineData("upstream request timed out after 30s", "timeout")]
    [InlineData("context deadline exceeded", "timeout")]
    [InlineData("ERROR failed to connect to database", "error")]
    public void A_line_counts_under_its_most_specific_pattern(string line, string pattern) =>
        Assert.Equal(pattern, ErrorPatterns.Classify(line));

    [Theory]
    [InlineData("INFO listening on 0.0.0.0:8080")]
    [InlineData("INFO 0 errors in the last hour, error_rate=0")]
    [InlineData("DEBUG terrorist-detection module loaded")]
    public void Ordinary_lines_count_nowhere(string line) => Assert.Null(ErrorPatterns.Classify(line));

    [Fact]
    public void Counts_are_per_pattern_in_pattern_order_with_the_first_line_as_example()
    {
        var counts = ErrorPatterns.Count(
        [
            "ERROR first failure",
            "INFO fine",
            "FATAL giving up",
            "ERROR second failure",
            "ERROR third failure",
        ]);

        Assert.Equal([("fatal", 1), ("error", 3)], counts.Select(c => (c.Pattern, c.Count)));
        Assert.Equal("ERROR first failure", counts[1].Example);
    }
}
