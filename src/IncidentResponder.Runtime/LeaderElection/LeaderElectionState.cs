namespace IncidentResponder.Runtime.LeaderElection;

public enum LeaderElectionState
{
    /// <summary>Trying to acquire; another instance may be leading.</summary>
    StandingBy,

    Leading,

    /// <summary>Was leading and lost the lease: controllers are stopped and the process is exiting.</summary>
    Lost,

    /// <summary>Shut down cleanly (lease released if we held it).</summary>
    Stopped,
}
