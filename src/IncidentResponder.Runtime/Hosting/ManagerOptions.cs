using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.LeaderElection;

namespace IncidentResponder.Runtime.Hosting;

public sealed record ManagerOptions
{
    /// <summary>How long to wait for every informer's first LIST before giving up (controller-runtime: 2 min).</summary>
    public TimeSpan CacheSyncTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Null runs the controllers without leader election (a single replica or a local run).</summary>
    public LeaderElectionOptions? LeaderElection { get; init; }

    /// <summary>Null serves no probes.</summary>
    public HealthServerOptions? Health { get; init; } = new();
}
