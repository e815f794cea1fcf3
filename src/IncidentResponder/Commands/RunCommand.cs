using System.CommandLine;
using IncidentResponder.Operator.Hosting;
using IncidentResponder.Runtime.Health;
using IncidentResponder.Runtime.Hosting;
using IncidentResponder.Runtime.LeaderElection;
using IncidentResponder.Runtime.Metrics;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using IncidentResponder.Operator.History;
using IncidentResponder.Operator.Intake;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder run</c>: the operator against a cluster, with controller-runtime's flag names. Logging follows
/// the standard configuration (e.g. <c>Logging__LogLevel__Default=Debug</c>). Losing leadership stops the process with
/// exit code 1, so Kubernetes restarts it with fresh caches.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<FileInfo>("--kubeconfig") { Description = "Path to a kubeconfig; default: in-cluster config, else $KUBECONFIG or ~/.kube/config." };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run the controllers only while holding the Lease incident-responder-leader (for more than one replica)." };
        var leaseNamespace = new Option<string?>("--leader-election-namespace") { Description = "Namespace of the Lease; default: the pod's namespace, else incident-responder-system in a cluster, default outside." };
        var metrics = new Option<string>("--metrics-bind-address") { Description = "Where to serve /metrics; port 0 picks a free port, \"0\" disables.", DefaultValueFactory = _ => ":8080" };
        var probes = new Option<string>("--health-probe-bind-address") { Description = "Where to serve /healthz and /readyz; port 0 picks a free port.", DefaultValueFactory = _ => ":8081" };
        var namespaces = new Option<string[]>("--namespace") { Description = "A namespace to watch (repeatable); default: all namespaces.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("run", "Run the operator: detect failing rollouts, open Incidents, roll back safely, verify and record.")
        {
            kubeconfig, leaderElect, leaseNamespace, metrics, probes, namespaces,
        };
        var webhook = new WebhookOptions();
        webhook.AddTo(command);
        var historyDatabase = HistoryDatabaseOption.AddTo(command, "optional: without it the operator runs on status alone");
        command.SetAction(async (parse, ct) =>
        {
            string? metricsUrl, probesUrl;
            AlertmanagerIntakeOptions? intake;
            string? history;
            try
            {
                history = HistoryDatabaseOption.Value(parse, historyDatabase);
                metricsUrl = BindAddress.ToUrl(parse.GetValue(metrics)!);
                probesUrl = BindAddress.ToUrl(parse.GetValue(probes)!);
                intake = webhook.Parse(parse);
            }
            catch (FormatException error)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync(error.Message);
                return 2;
            }

            var identity = ClusterConnection.Identity();
            var options = new OperatorOptions
            {
                Identity = identity,
                Namespaces = parse.GetValue(namespaces) ?? [],
                Health = probesUrl is null ? null : new HealthServerOptions { Url = probesUrl, MetricsPath = null },
                LeaderElection = parse.GetValue(leaderElect)
                    ? new LeaderElectionOptions { LeaseName = "incident-responder-leader", LeaseNamespace = ClusterConnection.LeaseNamespace(parse.GetValue(leaseNamespace)), Identity = identity }
                    : null,
                ReadinessChecks = intake is null ? [] : [intake.Health],
            };
            if (!string.IsNullOrWhiteSpace(history))
            {
                options = options.With(new HistoryFeature(history));
            }

            return await RunAsync(ClusterConnection.Configuration(parse.GetValue(kubeconfig)), options, intake, metricsUrl, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        KubernetesClientConfiguration configuration, OperatorOptions options, AlertmanagerIntakeOptions? intake, string? metricsUrl, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(configuration));
        builder.Services.AddSingleton(RuntimeMetrics.CreateIsolated());
        builder.Services.AddSingleton<ILeadershipLossHandler, StopApplicationOnLeadershipLoss>();
        builder.Services.AddSingleton(services => OperatorAssembly.Create(services.GetRequiredService<IKubernetes>(), options,
            services.GetRequiredService<ILoggerFactory>(), TimeProvider.System, services.GetRequiredService<ILeadershipLossHandler>(),
            services.GetRequiredService<RuntimeMetrics>()));
        builder.Services.AddHostedService(services => new ManagerHostedService(services.GetRequiredService<OperatorInstance>().Manager,
            services.GetRequiredService<IHostApplicationLifetime>()));
        if (metricsUrl is not null)
        {
            builder.Services.AddHostedService(services => new MetricsEndpoint(metricsUrl, services.GetRequiredService<RuntimeMetrics>(),
                services.GetRequiredService<ILogger<MetricsEndpoint>>()));
        }

        WebhookOptions.AddService(builder.Services, intake, options.Namespaces);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<OperatorInstance>>();
        logger.LogInformation("Starting incident-responder as {Identity}; watching {Namespaces}; leader election {LeaderElection}",
            options.Identity, options.Namespaces.Count == 0 ? "all namespaces" : string.Join(", ", options.Namespaces),
            options.LeaderElection is { } election ? $"on lease {election.LeaseNamespace}/{election.LeaseName}" : "off");
        await host.RunAsync(cancellationToken);
        return Environment.ExitCode;
    }
}
