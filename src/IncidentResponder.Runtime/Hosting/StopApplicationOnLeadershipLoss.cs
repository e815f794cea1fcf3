using IncidentResponder.Runtime.LeaderElection;
using Microsoft.Extensions.Hosting;

namespace IncidentResponder.Runtime.Hosting;

/// <summary>
/// Exits the process after leadership is lost, with exit code 1 so Kubernetes records a failure and restarts the pod
/// (controller-runtime does the same: "leader election lost").
/// </summary>
public sealed class StopApplicationOnLeadershipLoss(IHostApplicationLifetime lifetime) : ILeadershipLossHandler
{
    public const int ExitCode = 1;

    public void OnLeadershipLost()
    {
        Environment.ExitCode = ExitCode;
        lifetime.StopApplication();
    }
}
