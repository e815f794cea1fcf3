using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.LeaderElection;

namespace IncidentResponder.Operator.Hosting;

/// <summary>How one operator instance runs: what it watches, how often it looks again, and how it is reached.</summary>
public sealed record OperatorOptions
{
    /// <summary>The namespaces to watch; empty watches all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Unique per process: the pod name in a cluster. Used as the leader-election identity and the Events' reporting instance.</summary>
    public string Identity { get; init; } = Environment.MachineName;

    /// <summary>
    /// How soon an unsettled Deployment (rolling out, unavailable) is looked at again when nothing changes. Readiness
    /// grace and hold periods expire without an API event, so something must come back to look.
    /// </summary>
    public TimeSpan ObservePollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How soon an open incident is decided again (verification windows, cooldowns, approvals).</summary>
    public TimeSpan IncidentPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a running pod may stay unready before it counts as ReadinessFailing. Not part of the v1alpha1 policy;
    /// null keeps the core's default (30 s).
    /// </summary>
    public TimeSpan? ReadinessGrace { get; init; }

    /// <summary>
    /// How long a resolved incident must stay resolved before its scale-back. Not part of the v1alpha1 policy; null
    /// keeps the core's default (10 min). Scenarios shorten it to see a scale-back in seconds.
    /// </summary>
    public TimeSpan? ScaleBackAfter { get; init; }

    /// <summary>Null runs without leader election (one replica, or a local run).</summary>
    public LeaderElectionOptions? LeaderElection { get; init; }

    /// <summary>Probes and metrics; null serves none (tests that run many instances).</summary>
    public HealthServerOptions? Health { get; init; } = new();

    /// <summary>
    /// Readiness checks of optional parts, shown in /readyz beside the API server, informer and leader checks, e.g.
    /// <c>new AsyncHealthCheck("history-store", ct => store.PingAsync(ct), critical: false)</c>: a failing
    /// non-critical check makes the operator "degraded" (still ready), a critical one "unhealthy" (503).
    /// </summary>
    public IReadOnlyList<IHealthCheck> ReadinessChecks { get; init; } = [];

    /// <summary>The Alertmanager webhook (run --webhook-bind-address); null serves none.</summary>
    public Intake.AlertmanagerIntakeOptions? AlertmanagerIntake { get; init; }

    /// <summary>How incident updates are delivered to the policies' notification targets (retries, timeouts).</summary>
    public Notifications.NotificationOptions Notifications { get; init; } = new();

    /// <summary>
    /// The Npgsql connection string of the history store (run --history-database); null runs on status alone. When set,
    /// Incidents carry the finalizer incidentresponder.dev/history until their final snapshot is recorded.
    /// </summary>
    public string? HistoryDatabase { get; init; }

    /// <summary>How the history store is polled, retried and buffered; only used with <see cref="HistoryDatabase"/>.</summary>
    public History.HistoryTimings HistoryTimings { get; init; } = new();

    /// <summary>The name the operator's Events are reported by.</summary>
    public string ControllerName { get; init; } = "incident-responder";
}
