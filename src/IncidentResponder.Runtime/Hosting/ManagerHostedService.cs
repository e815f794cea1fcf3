using Microsoft.Extensions.Hosting;

namespace IncidentResponder.Runtime.Hosting;

/// <summary>Runs a <see cref="ControllerManager"/> as a hosted service; the host stops when the manager ends on its own.</summary>
public sealed class ManagerHostedService(ControllerManager manager, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await manager.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            // Leadership lost or caches never synced: a manager that stopped by itself must take the process with it.
            if (!stoppingToken.IsCancellationRequested)
            {
                if (Environment.ExitCode == 0)
                {
                    Environment.ExitCode = StopApplicationOnLeadershipLoss.ExitCode;
                }

                lifetime.StopApplication();
            }
        }
    }
}
