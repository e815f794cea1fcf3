using System.Diagnostics;
using IncidentResponder.Operator.Controllers;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OperatorGitOps = IncidentResponder.Operator.GitOps;
using SimulatorGitOps = IncidentResponder.Simulator.GitOps;

namespace IncidentResponder.Operator.Bench.GitOpsWriteBack;

/// <summary>One app's moments, each from the clear signal (first bad pod in CrashLoopBackOff in the store); null: not seen.</summary>
internal sealed record WriteBackOutcome(string App, TimeSpan? Rollback, TimeSpan? Pushed, TimeSpan? Resumed, string? Commit);

/// <summary>Conditions the figures contain, printed with them.</summary>
internal sealed record WriteBackFacts(int Apps, TimeSpan ArgoCdInterval, string VerifyWindow, string HoldFor, TimeSpan CommitSpan, string LoadAtStart, string LoadAtEnd, int RevertCommitsInGit);

/// <summary>
/// The write-back measurement: the simulated cluster with its controllers, 20x kubelet and Argo CD emulation, one local
/// repository with N app folders each applied by its own Application, the operator in process; then N bad commits back
/// to back, each followed by a refresh, while a 20 ms poll of the store times every incident's moments.
/// </summary>
internal sealed class WriteBackRun(int apps, TimeSpan deadline, string operatorLog, TextWriter output)
{
    private static readonly TimeSpan ArgoCdInterval = TimeSpan.FromSeconds(1);

    public async Task<(IReadOnlyList<WriteBackOutcome> Outcomes, WriteBackFacts Facts)> RunAsync(CancellationToken cancellationToken)
    {
        var loadAtStart = LoadAverage.Read();
        var simulatorOptions = new SimulatorOptions { GitOps = new SimulatorGitOps.GitOpsOptions { ArgoCdReconciliationInterval = ArgoCdInterval } }
            .AddControllers(new ControllerManagerOptions { Kubelet = new KubeletSettings { SpeedFactor = 20 } });
        await using var cluster = await SimulatedCluster.StartAsync(simulatorOptions, cancellationToken).ConfigureAwait(false);
        using var repo = LocalRepository.Create();
        using var admin = new Kubernetes(cluster.ClientConfiguration());
        using var operatorClient = new Kubernetes(cluster.ClientConfiguration());
        await WriteBackWorld.InstallAsync(cluster, admin, repo, apps, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"simulated cluster at {cluster.BaseAddress} (controllers, kubelet x20, Argo CD every {ArgoCdInterval.TotalSeconds:0} s); {apps} Applications Healthy from {repo.Path}").ConfigureAwait(false);

        using var logProvider = new FileLoggerProvider(operatorLog, LogLevel.Information, flushEachLine: false);
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(logProvider));
        var instance = OperatorAssembly.Create(operatorClient, FastOptions(), loggers, TimeProvider.System);
        using var stopOperator = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var operatorRun = Task.Run(() => instance.RunAsync(stopOperator.Token), CancellationToken.None);
        await Poll.UntilAsync(() => operatorRun.IsCompleted || instance.Manager.ControllersRunning, TimeSpan.FromMinutes(2), "the operator's controllers to run", cancellationToken).ConfigureAwait(false);

        // The store is watched from before the first bad commit: an early app's pods may crash-loop while later apps are still being committed.
        var clock = Stopwatch.StartNew();
        var timeline = new WriteBackTimeline(apps);
        var watching = Task.Run(() => Poll.TryUntilAsync(() => timeline.Observe(cluster.Store, clock.Elapsed) || operatorRun.IsCompleted, deadline, cancellationToken), CancellationToken.None);

        // All at once: one commit per app, back to back, each followed by the refresh a team's CI would send.
        var badCommits = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < apps; i++)
        {
            badCommits.Add(repo.Commit($"{WriteBackManifests.AppName(i)} 1.26-broken", (WriteBackManifests.AppPath(i), WriteBackManifests.Deployment(i, WriteBackManifests.BadImage))));
            var refresh = new V1Patch("{\"metadata\":{\"annotations\":{\"argocd.argoproj.io/refresh\":\"normal\"}}}", V1Patch.PatchType.MergePatch);
            await admin.CustomObjects.PatchNamespacedCustomObjectAsync(refresh, "argoproj.io", "v1alpha1", cluster.Options.GitOps!.ArgoCdNamespace, "applications",
                WriteBackManifests.AppName(i), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var commitSpan = clock.Elapsed;
        await output.WriteLineAsync($"committed {apps} bad images (one commit per app) and refreshed in {commitSpan.TotalSeconds:F1} s; waiting for every revert pushed and owner resumed...").ConfigureAwait(false);
        var done = await watching.ConfigureAwait(false);
        if (!done || operatorRun.IsCompleted)
        {
            await output.WriteLineAsync($"not every incident reached Pushed and Resumed within {deadline.TotalSeconds:0} s; the missing ones are reported").ConfigureAwait(false);
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

        // Commits on main that are neither the first one nor a bad one: the operator's reverts.
        var reverts = repo.Git("log", "--format=%H", "main").Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(h => !badCommits.Contains(h)) - 1;
        var facts = new WriteBackFacts(apps, ArgoCdInterval, WriteBackWorld.VerifyWindow, WriteBackWorld.HoldFor, commitSpan, loadAtStart, LoadAverage.Read(), reverts);
        return (timeline.Outcomes(), facts);
    }

    /// <summary>The test suite's fast poll options: the operator reacts in tenths of seconds.</summary>
    private static OperatorOptions FastOptions() => new OperatorOptions
    {
        Identity = "operator-bench",
        Namespaces = [WriteBackManifests.Namespace],
        Policy = new PolicyOverrides { ReadinessGrace = TimeSpan.FromSeconds(30) },
        Health = null,
    }
        .Configure<RolloutDetectionFeature>(f => f with { Options = new DetectionOptions { PollInterval = TimeSpan.FromMilliseconds(200) } })
        .Configure<IncidentFeature>(f => f with { Options = new IncidentOptions { PollInterval = TimeSpan.FromMilliseconds(200) } })
        .Configure<OperatorGitOps.GitOpsFeature>(f => f with { Options = new OperatorGitOps.GitOpsOptions { PollInterval = TimeSpan.FromMilliseconds(500) } });
}
