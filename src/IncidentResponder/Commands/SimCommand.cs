using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Chaos;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.GitOps;
using IncidentResponder.Simulator.Metrics;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder sim --listen 127.0.0.1:&lt;port&gt; --kubeconfig &lt;path&gt; [--gitops] [--metrics-listen 127.0.0.1:&lt;port&gt;] [--chaos-*]</c>:
/// runs a simulated cluster in the foreground until SIGINT/SIGTERM and writes a kubeconfig for it (port 0 picks a free
/// port and prints it; with --metrics-listen it also prints the application metrics URL).
/// </summary>
public static class SimCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Loopback address and port to serve the API on; port 0 picks a free port.",
            DefaultValueFactory = _ => "127.0.0.1:0",
        };
        var kubeconfig = new Option<FileInfo>("--kubeconfig")
        {
            Description = "Where to write a kubeconfig that kubectl and incident-responder use as is.",
            Required = true,
        };
        var gitops = new Option<bool>("--gitops")
        {
            Description = "Also emulate Argo CD and Flux: serve their CRDs (Application, GitRepository, Kustomization, HelmRelease) and "
                + "sync Applications and Kustomizations from local git repositories (Argo CD repoURL file:///path; Flux via --gitops-repo); "
                + "HelmReleases render their GitRepository chart with the real helm (HELM or helm on PATH).",
        };
        var gitopsRepos = new Option<string[]>("--gitops-repo")
        {
            Description = "With --gitops: serve a remote git URL from a local repository, as URL=PATH (repeatable). "
                + "Flux's GitRepository admits only http(s)/ssh URLs.",
        };
        var metricsListen = new Option<string?>("--metrics-listen")
        {
            Description = "Also serve every running pod's request metrics (Prometheus text format) at /sim/metrics on this loopback "
                + "address and port (port 0 picks a free one); off unless given.",
        };
        var chaosFlags = new ChaosFlags();
        var command = new Command("sim", "Run a simulated Kubernetes cluster (API server, controllers, kubelet) on loopback.")
        {
            listen,
            kubeconfig,
            gitops,
            gitopsRepos,
            metricsListen,
        };
        foreach (var option in chaosFlags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!IPEndPoint.TryParse(parse.GetValue(listen)!, out var endpoint) || !IPAddress.IsLoopback(endpoint.Address))
            {
                throw new UserError($"--listen must be a loopback address and port, e.g. 127.0.0.1:0 (got {parse.GetValue(listen)})");
            }

            SimulatedMetricsOptions? metrics = null;
            if (parse.GetValue(metricsListen) is { } metricsText)
            {
                if (!IPEndPoint.TryParse(metricsText, out var metricsEndpoint) || !IPAddress.IsLoopback(metricsEndpoint.Address))
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"--metrics-listen must be a loopback address and port, e.g. 127.0.0.1:0 (got {metricsText})").ConfigureAwait(false);
                    return 2;
                }

                metrics = new SimulatedMetricsOptions { ListenAddress = metricsEndpoint.Address.ToString(), Port = metricsEndpoint.Port };
            }

            GitOpsOptions? gitOpsOptions = null;
            if (parse.GetValue(gitops))
            {
                gitOpsOptions = new GitOpsOptions();
                foreach (var mapping in parse.GetValue(gitopsRepos) ?? [])
                {
                    var separator = mapping.LastIndexOf('=');
                    if (separator <= 0 || !Path.IsPathFullyQualified(mapping[(separator + 1)..]))
                    {
                        throw new UserError($"--gitops-repo must be URL=ABSOLUTE_PATH (got {mapping})");
                    }

                    gitOpsOptions.Repositories[mapping[..separator]] = mapping[(separator + 1)..];
                }
            }

            var chaos = chaosFlags.Read(parse);
            FreePort.Require("--listen", $"http://{endpoint}");

            // The deployment and replicaset controllers and the kubelet make it behave like a cluster, not just an API.
            var options = new SimulatorOptions { ListenAddress = endpoint.Address.ToString(), Port = endpoint.Port, GitOps = gitOpsOptions, Metrics = metrics, Chaos = chaos }.AddControllers();
            await using var cluster = await SimulatedCluster.StartAsync(options, ct).ConfigureAwait(false);
            var path = WriteAtomically(cluster, parse.GetValue(kubeconfig)!.FullName);
            await output.WriteLineAsync($"simulated cluster listening on {cluster.BaseAddress.GetLeftPart(UriPartial.Authority)}").ConfigureAwait(false);
            await output.WriteLineAsync($"port: {cluster.BaseAddress.Port}").ConfigureAwait(false);
            await output.WriteLineAsync($"kubeconfig: {path}").ConfigureAwait(false);
            if (chaos is not null)
            {
                await output.WriteLineAsync($"chaos seed: {chaos.Seed} (requests with {ChaosOptions.ExemptHeader}: 1 are spared)").ConfigureAwait(false);
            }

            if (cluster.MetricsAddress is { } metricsAddress)
            {
                await output.WriteLineAsync($"metrics: {metricsAddress}").ConfigureAwait(false);
            }

            await output.FlushAsync(ct).ConfigureAwait(false);

            // Foreground until SIGINT (the invocation token) or SIGTERM.
            using var stopped = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stopped.Cancel();
            });
            try
            {
                await Task.Delay(Timeout.Infinite, stopped.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await output.WriteLineAsync("simulated cluster stopping").ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Writes the kubeconfig next to its final path and renames it into place: <c>run --kubeconfig</c> started alongside
    /// waits for the path to exist, and must never read a half-written file.
    /// </summary>
    private static string WriteAtomically(SimulatedCluster cluster, string path)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            cluster.WriteKubeconfig(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return path;
    }
}
