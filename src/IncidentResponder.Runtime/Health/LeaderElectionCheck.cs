using IncidentResponder.Runtime.LeaderElection;

namespace IncidentResponder.Runtime.Health;

/// <summary>
/// Leading, or standing by while able to see the lease, is ready; a lost lease is not (the process is on its way out,
/// and a standby blind to the lease could not take over).
/// </summary>
public sealed class LeaderElectionCheck(LeaderElectionService election) : IHealthCheck
{
    public string Name => "leader-election";

    public bool IsHealthy() => election.IsHealthy;

    public ValueTask<HealthCheckResult> CheckAsync(CancellationToken cancellationToken)
    {
        var state = election.State;
        var leader = election.CurrentLeader is { } holder ? $"; leader is {holder}" : string.Empty;
        var message = state switch
        {
            LeaderElectionState.Leading => "leading",
            LeaderElectionState.StandingBy => election.IsHealthy ? $"standing by{leader}" : $"standing by, but the lease has not been reachable lately{leader}",
            LeaderElectionState.Lost => "leadership lost",
            _ => "stopped",
        };
        return ValueTask.FromResult(new HealthCheckResult(election.IsHealthy, message));
    }
}
