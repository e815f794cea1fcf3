using IncidentResponder.Core.Egress;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.LeaderElection;

namespace IncidentResponder.Operator.Hosting;

/// <summary>
/// How one operator instance runs: what it watches, how it is reached, and which features it runs. Each feature
/// carries its own settings (<see cref="Features"/>); only what all of them share is here.
/// </summary>
public sealed record OperatorOptions
{
    /// <summary>The namespaces to watch; empty watches all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    /// <summary>Unique per process: the pod name in a cluster. Used as the leader-election identity and the Events' reporting instance.</summary>
    public string Identity { get; init; } = Environment.MachineName;

    /// <summary>The name the operator's Events are reported by.</summary>
    public string ControllerName { get; init; } = "incident-responder";

    /// <summary>Null runs without leader election (one replica, or a local run).</summary>
    public LeaderElectionOptions? LeaderElection { get; init; }

    /// <summary>Probes and metrics; null serves none (tests that run many instances).</summary>
    public HealthServerOptions? Health { get; init; } = new();

    /// <summary>
    /// Readiness checks of parts outside the features, shown in /readyz beside the API server, informer and leader
    /// checks, e.g. <c>new AsyncHealthCheck("history-store", ct => store.PingAsync(ct), critical: false)</c>: a failing
    /// non-critical check makes the operator "degraded" (still ready), a critical one "unhealthy" (503).
    /// </summary>
    public IReadOnlyList<IHealthCheck> ReadinessChecks { get; init; } = [];

    /// <summary>Settings the v1alpha1 policy does not carry, applied to every policy by every feature.</summary>
    public PolicyOverrides Policy { get; init; } = new();

    /// <summary>
    /// Where requests to tenant-named URLs may go (HTTP flag endpoints, notification receivers): the admin's
    /// <c>--egress-allow</c> list over the built-in refusal of internal addresses. Features that send such requests
    /// take it in their own options (NotificationOptions.Egress); this is the one place the run command sets it.
    /// </summary>
    public EgressPolicy Egress { get; init; } = EgressPolicy.Default;

    /// <summary>What the operator runs, set up in this order; <see cref="OperatorFeatures.Standard"/> unless set.</summary>
    public IReadOnlyList<IOperatorFeature> Features { get; init; } = OperatorFeatures.Standard();

    /// <summary>These options with one more feature (e.g. history, when a database is configured).</summary>
    public OperatorOptions With(IOperatorFeature feature) => this with { Features = [.. Features, feature] };

    /// <summary>These options with the feature of type <typeparamref name="TFeature"/> changed, e.g. a test's shorter poll.</summary>
    public OperatorOptions Configure<TFeature>(Func<TFeature, TFeature> change)
        where TFeature : IOperatorFeature
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!Features.OfType<TFeature>().Any())
        {
            throw new InvalidOperationException($"{typeof(TFeature).Name} is not among the features");
        }

        return this with { Features = [.. Features.Select(f => f is TFeature feature ? change(feature) : f)] };
    }
}
