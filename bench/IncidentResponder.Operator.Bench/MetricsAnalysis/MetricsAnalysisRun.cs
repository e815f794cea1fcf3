using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Operator.MetricsAnalysis;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using IncidentResponder.Simulator.Metrics;
using IncidentResponder.Simulator.Storage;
using k8s;
using Microsoft.Extensions.Logging;

namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>Conditions the figures contain, printed with them.</summary>
internal sealed record MetricsFacts(MetricsSettings Settings, string LoadAtStart, string LoadAtEnd);

/// <summary>
/// The metric-analysis measurement: the simulated cluster with its controllers and 20x kubelet serving application
/// metrics, a real Prometheus scraping them, the operator in process; then bad rollouts (Ready pods answering 30 % of
/// requests with 500) a few at a time, each group waited for until its rollbacks are accepted. The moments are read
/// afterwards from Prometheus, the API server's create clock and its audit log (<see cref="MetricsTimeline"/>).
/// </summary>
internal sealed class MetricsAnalysisRun(MetricsSettings settings, string prometheusBinary, TextWriter output)
{
    public async Task<(IReadOnlyList<RolloutOutcome> Outcomes, MetricsFacts Facts)> RunAsync(CancellationToken cancellationToken)
    {
        var loadAtStart = LoadAverage.Read();
        var simulatorOptions = new SimulatorOptions { Metrics = new SimulatedMetricsOptions() }
            .AddControllers(new ControllerManagerOptions { Kubelet = new KubeletSettings { SpeedFactor = 20 } });
        await using var cluster = await SimulatedCluster.StartAsync(simulatorOptions, cancellationToken).ConfigureAwait(false);
        var incidentClock = new IncidentCreationClock();
        cluster.ClusterStore.AddAdmissionStep(incidentClock);
        await using var prometheus = await PrometheusProcess.StartAsync(prometheusBinary, cluster.MetricsAddress!, settings.ScrapeInterval, cancellationToken).ConfigureAwait(false);
        using var admin = new Kubernetes(cluster.ClientConfiguration());
        using var operatorClient = new Kubernetes(cluster.ClientConfiguration());
        await MetricsWorld.InstallAsync(admin, settings, prometheus.BaseAddress, cancellationToken).ConfigureAwait(false);
        await Poll.UntilAsync(() => settings.Targets().All(t => Available(cluster.ClusterStore, t)), TimeSpan.FromMinutes(3), "every Deployment available", cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"simulated cluster at {cluster.BaseAddress} (controllers, kubelet x20, application metrics at {cluster.MetricsAddress}); prometheus at {prometheus.BaseAddress}; {settings.Rollouts} Deployments available in {settings.Namespaces} namespaces").ConfigureAwait(false);

        using var logProvider = new FileLoggerProvider(settings.OperatorLog, LogLevel.Information, flushEachLine: false);
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(logProvider));
        var instance = OperatorAssembly.Create(operatorClient, OperatorOptions(), loggers, TimeProvider.System);
        using var stopOperator = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var operatorRun = Task.Run(() => instance.RunAsync(stopOperator.Token), CancellationToken.None);
        await Poll.UntilAsync(() => operatorRun.IsCompleted || instance.Manager.ControllersRunning, TimeSpan.FromMinutes(2), "the operator's controllers to run", cancellationToken).ConfigureAwait(false);

        // Every Deployment's clean traffic is in Prometheus before anything goes wrong, so a crossing is a change.
        await WaitForSeriesAsync(prometheus, cancellationToken).ConfigureAwait(false);
        var timeline = new MetricsTimeline(cluster.Hooks, incidentClock, admin, prometheus, settings);
        foreach (var group in settings.Targets().Chunk(settings.AtOnce))
        {
            foreach (var target in group)
            {
                await timeline.BadRolloutAsync(target, cancellationToken).ConfigureAwait(false);
            }

            if (!await Poll.TryUntilAsync(() => operatorRun.IsCompleted || group.All(timeline.RolledBack), settings.Deadline, cancellationToken).ConfigureAwait(false) || operatorRun.IsCompleted)
            {
                await output.WriteLineAsync($"not every rollback of {string.Join(", ", group.Select(t => t.Name))} was accepted within {settings.Deadline.TotalSeconds:0} s; the missing ones are reported").ConfigureAwait(false);
            }

            await output.WriteLineAsync($"{string.Join(", ", group.Select(t => t.Name))}: rolled back {group.Count(timeline.RolledBack)} of {group.Length}").ConfigureAwait(false);
        }

        await stopOperator.CancelAsync().ConfigureAwait(false);
        try
        {
            await operatorRun.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        var outcomes = await timeline.OutcomesAsync(cancellationToken).ConfigureAwait(false);
        return (outcomes, new MetricsFacts(settings, loadAtStart, LoadAverage.Read()));
    }

    private async Task WaitForSeriesAsync(PrometheusProcess prometheus, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(2);
        const string perDeployment = "count(count by (namespace, deployment) (rate(http_requests_total[5s]) > 0))";
        while ((await prometheus.QueryAsync(perDeployment, cancellationToken).ConfigureAwait(false)) is var result
               && (result.Count == 0 || PrometheusProcess.Value(result[0]) < settings.Rollouts))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("Prometheus did not get the traffic of every Deployment within 2 minutes");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Available(ClusterStore store, (string Namespace, string Name) target) =>
        store.Get(BuiltinResources.Deployments, target.Namespace, target.Name)?["status"]?["availableReplicas"]?.GetValue<long>() == 2;

    /// <summary>The test suite's fast poll options; Prometheus listens on loopback, which the egress policy refuses unless an admin allows it.</summary>
    private OperatorOptions OperatorOptions() => new OperatorOptions
    {
        Identity = "operator-bench",
        Namespaces = [.. Enumerable.Range(0, settings.Namespaces).Select(MetricsWorld.NamespaceName)],
        Policy = new PolicyOverrides { ReadinessGrace = TimeSpan.FromSeconds(30) },
        Health = null,
    }
        .Configure<RolloutDetectionFeature>(f => f with { Options = new DetectionOptions { PollInterval = TimeSpan.FromMilliseconds(200) } })
        .Configure<IncidentFeature>(f => f with { Options = new IncidentOptions { PollInterval = TimeSpan.FromMilliseconds(200) } })
        .Configure<MetricsAnalysisFeature>(f => f with { Options = f.Options with { Egress = new Core.Egress.EgressPolicy { Allow = ["127.0.0.1"] } } });
}
