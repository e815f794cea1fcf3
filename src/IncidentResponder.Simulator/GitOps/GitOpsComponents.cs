namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The emulated GitOps controllers started with a cluster whose <see cref="SimulatorOptions.GitOps"/> is set: Argo CD's
/// application controller and Flux's source and kustomize controllers. Disposed (stopped) with the cluster.
/// </summary>
public sealed class GitOpsComponents : IAsyncDisposable
{
    private GitOpsComponents(ArgoCdApplicationController argoCd, FluxControllers flux)
    {
        ArgoCd = argoCd;
        Flux = flux;
    }

    public ArgoCdApplicationController ArgoCd { get; }

    public FluxControllers Flux { get; }

    public static GitOpsComponents Start(SimulatedCluster cluster, GitOpsOptions options)
    {
        var argoCd = new ArgoCdApplicationController(cluster, options);
        var flux = new FluxControllers(cluster, options);
        argoCd.Start();
        flux.Start();
        return new GitOpsComponents(argoCd, flux);
    }

    public async ValueTask DisposeAsync()
    {
        await Flux.DisposeAsync().ConfigureAwait(false);
        await ArgoCd.DisposeAsync().ConfigureAwait(false);
    }
}
