using IncidentResponder.Operator.Hosting;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using k8s;
using Microsoft.Extensions.Logging;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.GitOps;

namespace IncidentResponder.Demo;

/// <summary>
/// The demo's world in one process: a simulated cluster, a client that reaches it through the kubeconfig a user
/// would use, and the operator, logging to a file next to that kubeconfig.
/// </summary>
internal sealed class DemoEnvironment : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopOperator = new();
    private ILoggerFactory? _loggers;
    private Task? _operatorRun;

    private DemoEnvironment(SimulatedCluster cluster, string directory, string kubeconfig)
    {
        Cluster = cluster;
        Directory = directory;
        Kubeconfig = kubeconfig;
        Client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public SimulatedCluster Cluster { get; }

    /// <summary>The temp directory holding the kubeconfig and the operator's log.</summary>
    public string Directory { get; }

    public string Kubeconfig { get; }

    public string OperatorLog => Path.Combine(Directory, "operator.log");

    public IKubernetes Client { get; }

    public OperatorInstance? Operator { get; private set; }

    /// <summary>Why the operator stopped, if it stopped on its own (it should run until the demo ends).</summary>
    public string? OperatorStopped => _operatorRun is { IsCompleted: true } run
        ? run.Exception?.GetBaseException().Message ?? "it returned"
        : null;

    /// <summary>
    /// Starts the simulated cluster; <paramref name="speed"/> divides its kubelet's durations (container start, crash,
    /// back-off); <paramref name="gitops"/> adds its Argo CD and Flux emulation, with Argo CD polling git every second.
    /// </summary>
    public static async Task<DemoEnvironment> StartAsync(double speed, bool gitops, CancellationToken ct)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"incident-responder-demo-{Guid.NewGuid().ToString("N")[..8]}");
        System.IO.Directory.CreateDirectory(directory);
        var options = new SimulatorOptions
        {
            GitOps = gitops ? new Simulator.GitOps.GitOpsOptions { ArgoCdReconciliationInterval = TimeSpan.FromSeconds(1) } : null,
        }.AddControllers(new ControllerManagerOptions
        {
            Kubelet = new KubeletSettings { SpeedFactor = speed },
        });
        var cluster = await SimulatedCluster.StartAsync(options, ct).ConfigureAwait(false);
        return new DemoEnvironment(cluster, directory, cluster.WriteKubeconfig(Path.Combine(directory, "kubeconfig")));
    }

    /// <summary>Starts the operator as <c>incident-responder run</c> would, watching every namespace, without probes or leader election.</summary>
    public OperatorInstance StartOperator()
    {
        _loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(new FileLoggerProvider(OperatorLog, LogLevel.Information)));
        var options = new OperatorOptions
        {
            Identity = "incident-responder-demo",
            // Look again four times a second: holds and verification windows are seconds long in the demo.
            Health = null,
        }
            .Configure<RolloutDetectionFeature>(f => f with { Options = new DetectionOptions { PollInterval = TimeSpan.FromMilliseconds(250) } })
            .Configure<IncidentFeature>(f => f with { Options = new IncidentOptions { PollInterval = TimeSpan.FromMilliseconds(250) } })
            // A paused owner's git is looked at twice a second: the revert is in the local repository at once.
            .Configure<GitOpsFeature>(f => f with { Options = new Operator.GitOps.GitOpsOptions { PollInterval = TimeSpan.FromMilliseconds(500) } });
        Operator = OperatorAssembly.Create(Client, options, _loggers, TimeProvider.System);
        var instance = Operator;
        _operatorRun = Task.Run(() => instance.RunAsync(_stopOperator.Token));
        return Operator;
    }

    /// <summary>Removes the temp folder; call after <see cref="DisposeAsync"/>, which closes the operator's log in it.</summary>
    public void RemoveFolder()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the system's temp folder are not worth failing a finished demo over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopOperator.CancelAsync().ConfigureAwait(false);
        if (_operatorRun is not null)
        {
            try
            {
                await _operatorRun.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped as asked.
            }
            catch (TimeoutException)
            {
                // A controller that does not stop in time must not keep the demo from exiting.
            }
            catch (Exception) when (_operatorRun.IsFaulted)
            {
                // Already reported through OperatorStopped while the demo ran.
            }
        }

        _stopOperator.Dispose();
        _loggers?.Dispose();
        Client.Dispose();
        await Cluster.DisposeAsync().ConfigureAwait(false);
    }
}
