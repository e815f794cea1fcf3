namespace IncidentResponder.Runtime.LeaderElection;

/// <summary>
/// What to do once leadership is lost. The runtime's choice (as controller-runtime's) is to exit: after a loss the
/// controllers have already been stopped, and restarting the process (Kubernetes restarts the pod) is the one way to
/// guarantee no half-stopped goroutine-equivalent keeps acting and that every cache is rebuilt fresh.
/// The host wires this to IHostApplicationLifetime.StopApplication() with a non-zero exit code.
/// </summary>
public interface ILeadershipLossHandler
{
    void OnLeadershipLost();
}
