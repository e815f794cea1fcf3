using System.Text.Json.Nodes;

namespace IncidentResponder.Runtime.Health;

/// <summary>The overall verdict of a set of checks, in the words of the application health endpoint convention.</summary>
public enum HealthStatus
{
    /// <summary>Every check passed.</summary>
    Healthy,

    /// <summary>Only non-critical checks failed: the process does its job with less (e.g. no history store).</summary>
    Degraded,

    /// <summary>A critical check failed: the process cannot do its job.</summary>
    Unhealthy,
}

/// <summary>
/// One check's line in the report. Status is "ok", "error" for a failed critical check, or "degraded" for a failed
/// non-critical one; Message says what the check found (why it failed, or e.g. who leads).
/// </summary>
public sealed record CheckReport(string Status, bool Critical, double LatencyMs, string? Message);

/// <summary>
/// The body of /readyz, shaped as an application health endpoint:
/// <c>{"status":"healthy|degraded|unhealthy","timestamp":...,"uptimeSeconds":...,"checks":{"name":{"status":"ok|degraded|error","critical":...,"latencyMs":...,"message":...}}}</c>.
/// </summary>
public sealed record HealthReport(HealthStatus Status, DateTimeOffset Timestamp, TimeSpan Uptime, IReadOnlyDictionary<string, CheckReport> Checks)
{
    /// <summary>503 only when the process cannot do its job; degraded still serves (the kubelet keeps the pod ready).</summary>
    public int HttpStatusCode => Status == HealthStatus.Unhealthy ? 503 : 200;

    public static string StatusWord(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };

    public JsonObject ToJson()
    {
        var checks = new JsonObject();
        foreach (var (name, check) in Checks)
        {
            var entry = new JsonObject
            {
                ["status"] = check.Status,
                ["critical"] = check.Critical,
                ["latencyMs"] = Math.Round(check.LatencyMs, 3),
            };
            if (check.Message is not null)
            {
                entry["message"] = check.Message;
            }

            checks[name] = entry;
        }

        return new JsonObject
        {
            ["status"] = StatusWord(Status),
            ["timestamp"] = Timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["uptimeSeconds"] = Math.Round(Uptime.TotalSeconds, 3),
            ["checks"] = checks,
        };
    }
}
