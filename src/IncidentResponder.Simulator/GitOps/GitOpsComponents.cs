namespace IncidentResponder.Simulator.GitOps;

/// <summary>
/// The emulated GitOps controllers started with a cluster whose <see cref="SimulatorOptions.GitOps"/> is set: Argo CD's
/// application controller and Flux's source, kustomize and helm controllers. Disposed (stopped) with the cluster.
/// </summary>
public sealed class GitOpsComponents : IAsyncDisposable
{
    private GitOpsComponents(ArgoCdApplicationController argoCd, FluxControllers flux, HelmReleaseController helm)
    {
        ArgoCd = argoCd;
        Flux = flux;
        Helm = helm;
    }

    public ArgoCdApplicationController ArgoCd { get; }

    public FluxControllers Flux { get; }

    public HelmReleaseController Helm { get; }

    public static GitOpsComponents Start(SimulatedCluster cluster, GitOpsOptions options)
    {
        var argoCd = new ArgoCdApplicationController(cluster, options);
        var flux = new FluxControllers(cluster, options);
        var helm = new HelmReleaseController(cluster, options);
        argoCd.Start();
        flux.Start();
        helm.Start();
        return new GitOpsComponents(argoCd, flux, helm);
    }

    public async ValueTask DisposeAsync()
    {
        await Helm.DisposeAsync().ConfigureAwait(false);
        await Flux.DisposeAsync().ConfigureAwait(false);
        await ArgoCd.DisposeAsync().ConfigureAwait(false);
    }
}
