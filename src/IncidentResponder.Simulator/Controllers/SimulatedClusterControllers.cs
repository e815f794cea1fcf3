namespace IncidentResponder.Simulator.Controllers;

/// <summary>Plugs the controllers and kubelets into a <see cref="SimulatedCluster"/> as one of its components.</summary>
public static class SimulatedClusterControllers
{
    /// <summary>
    /// Adds the controller manager to <paramref name="options"/>: it starts with the cluster, uses the cluster's clock
    /// and pod log store, follows <see cref="SimulatorHooks.PauseControllers"/>, and stops with the cluster.
    /// </summary>
    public static SimulatorOptions AddControllers(this SimulatorOptions options, ControllerManagerOptions? controllerOptions = null)
    {
        options.Components.Add(cluster => Start(cluster, controllerOptions));
        return options;
    }

    public static ControllerManager Start(SimulatedCluster cluster, ControllerManagerOptions? controllerOptions = null)
    {
        var manager = new ControllerManager(cluster.Store, cluster.Options.Time, controllerOptions, cluster.ClusterStore.Logs);
        cluster.Hooks.ControllersPausedChanged += paused =>
        {
            if (paused)
            {
                manager.Pause();
            }
            else
            {
                manager.Resume();
            }
        };
        if (cluster.Hooks.ControllersPaused)
        {
            manager.Pause();
        }

        manager.Start();
        return manager;
    }
}
