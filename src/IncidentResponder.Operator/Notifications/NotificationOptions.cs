using IncidentResponder.Core.Egress;

namespace IncidentResponder.Operator.Notifications;

/// <summary>How notifications are delivered. The defaults suit production; tests shorten the waits.</summary>
public sealed record NotificationOptions
{
    /// <summary>PagerDuty's Events API v2; a target's Secret may override it with a <c>url</c> key (EU accounts, proxies, tests).</summary>
    public const string PagerDutyEventsUrl = "https://events.pagerduty.com/v2/enqueue";

    /// <summary>Retries of one delivery after its first attempt (network errors, timeouts, 5xx, 429).</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The first retry waits this long, each next one twice as long (1 s, 2 s, 4 s).</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A receiver's Retry-After is honoured up to this long; a longer one is the next delivery's business.</summary>
    public TimeSpan RetryAfterCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt may take this long.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>After a delivery failed (all its retries), the next one is tried this much later, doubling; null: the core's 30 s.</summary>
    public TimeSpan? FirstFailureBackoff { get; init; }

    /// <summary>A target whose last delivery failed this recently makes the notifier health check degraded.</summary>
    public TimeSpan HealthWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Where receivers may be: the admin's egress policy (the run command's --egress-allow), never a tenant's.</summary>
    public EgressPolicy Egress { get; init; } = EgressPolicy.Default;
}
