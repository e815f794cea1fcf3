using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.Metrics;

namespace IncidentResponder.Runtime.Tests.Health;

/// <summary>
/// /readyz as the playbook's health endpoint: JSON with every check timed and explained, healthy / degraded / unhealthy,
/// and 503 only when a critical check fails.
/// </summary>
public sealed class ReadinessReportTests
{
    private static async Task<(HttpStatusCode Code, JsonObject Body, string ContentType)> ReadyzAsync(params IHealthCheck[] checks)
    {
        var options = new HealthServerOptions { Url = "http://127.0.0.1:0", CheckTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await HealthServer.StartAsync(options, [], checks, RuntimeMetrics.CreateIsolated(), TestContext.Current.CancellationToken);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(server.Address, "/readyz"), TestContext.Current.CancellationToken);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!.AsObject();
        return (response.StatusCode, body, response.Content.Headers.ContentType?.MediaType ?? string.Empty);
    }

    private static JsonObject Check(JsonObject body, string name) => body["checks"]![name]!.AsObject();

    [Fact]
    public async Task All_checks_passing_is_healthy_200_with_each_check_timed()
    {
        var (code, body, contentType) = await ReadyzAsync(
            new HealthCheck("cache", () => true),
            new AsyncHealthCheck("database", async ct =>
            {
                // Work that takes a measurable time, so the latency can be seen to be measured.
                await Task.Delay(60, ct);
                return HealthCheckResult.Healthy("SELECT 1 answered");
            }, critical: false));

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("application/json", contentType);
        Assert.Equal("healthy", (string?)body["status"]);
        var timestamp = DateTimeOffset.Parse((string)body["timestamp"]!, CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True((double)body["uptimeSeconds"]! >= 0);
        Assert.Equal(["cache", "database"], body["checks"]!.AsObject().Select(c => c.Key).Order());
        Assert.Equal("ok", (string?)Check(body, "cache")["status"]);
        Assert.True((bool)Check(body, "cache")["critical"]!);
        Assert.True((double)Check(body, "cache")["latencyMs"]! >= 0);
        Assert.Equal("ok", (string?)Check(body, "database")["status"]);
        Assert.False((bool)Check(body, "database")["critical"]!);
        Assert.Equal("SELECT 1 answered", (string?)Check(body, "database")["message"]);
        Assert.InRange((double)Check(body, "database")["latencyMs"]!, 50, 5000);
    }

    [Fact]
    public async Task A_failing_non_critical_check_is_degraded_and_still_200()
    {
        var (code, body, _) = await ReadyzAsync(
            new HealthCheck("api-server", () => true),
            new AsyncHealthCheck("history-store", _ => Task.FromResult(HealthCheckResult.Unhealthy("connection refused")), critical: false));

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("degraded", (string?)body["status"]);
        Assert.Equal("ok", (string?)Check(body, "api-server")["status"]);
        Assert.Equal("degraded", (string?)Check(body, "history-store")["status"]);
        Assert.Equal("connection refused", (string?)Check(body, "history-store")["message"]);
    }

    [Fact]
    public async Task A_failing_critical_check_is_unhealthy_503_even_beside_degraded_ones()
    {
        var (code, body, _) = await ReadyzAsync(
            new HealthCheck("api-server", () => false),
            new HealthCheck("notifiers", () => false, critical: false));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("unhealthy", (string?)body["status"]);
        Assert.Equal("error", (string?)Check(body, "api-server")["status"]);
        Assert.Equal("degraded", (string?)Check(body, "notifiers")["status"]);
    }

    [Fact]
    public async Task A_throwing_check_fails_with_its_message_and_the_others_are_still_reported()
    {
        var (code, body, _) = await ReadyzAsync(
            new HealthCheck("explodes", () => throw new InvalidOperationException("lease store unreadable")),
            new AsyncHealthCheck("explodes-async", _ => throw new HttpRequestException("no route to host"), critical: false),
            new HealthCheck("fine", () => true));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("error", (string?)Check(body, "explodes")["status"]);
        Assert.Contains("lease store unreadable", (string?)Check(body, "explodes")["message"], StringComparison.Ordinal);
        Assert.Equal("degraded", (string?)Check(body, "explodes-async")["status"]);
        Assert.Contains("no route to host", (string?)Check(body, "explodes-async")["message"], StringComparison.Ordinal);
        Assert.Equal("ok", (string?)Check(body, "fine")["status"]);
    }

    [Fact]
    public async Task A_check_that_never_answers_fails_at_its_deadline_instead_of_hanging_the_probe()
    {
        var never = new TaskCompletionSource<HealthCheckResult>();
        var started = DateTime.UtcNow;

        var (code, body, _) = await ReadyzAsync(new AsyncHealthCheck("hung", _ => never.Task), new HealthCheck("fine", () => true));

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("error", (string?)Check(body, "hung")["status"]);
        Assert.Equal("no answer within 300 ms", (string?)Check(body, "hung")["message"]);
        Assert.InRange((double)Check(body, "hung")["latencyMs"]!, 250, 5000);
    }

    [Fact]
    public async Task Checks_with_the_same_name_are_both_reported()
    {
        var (_, body, _) = await ReadyzAsync(new HealthCheck("notifier", () => true, critical: false), new HealthCheck("notifier", () => false, critical: false));

        Assert.Equal("ok", (string?)Check(body, "notifier")["status"]);
        Assert.Equal("degraded", (string?)Check(body, "notifier#2")["status"]);
        Assert.Equal("degraded", (string?)body["status"]);
    }
}
