using System.CommandLine;
using IncidentResponder.Operator.Controllers;
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
using IncidentResponder.Operator.Notifications;
using IncidentResponder.Core.Egress;
using IncidentResponder.Operator.MetricsAnalysis;

namespace IncidentResponder.Commands;

/// <summary>
/// <c>incident-responder run</c>: the operator against a cluster, with controller-runtime's flag names. Logging follows
/// the standard configuration (e.g. <c>Logging__LogLevel__Default=Debug</c>). Losing leadership stops the process with
/// exit code 1, so Kubernetes restarts it with fresh caches.
/// </summary>
internal static class RunCommand
{
    private const string MetricsFlag = "--metrics-bind-address";
    private const string ProbesFlag = "--health-probe-bind-address";
    private const string EgressAllowFlag = "--egress-allow";
    private const string EvidenceRetentionFlag = "--history-evidence-retention-days";

    // Not controller-runtime's :8080 / :8081, which every kubebuilder operator and many development servers take (and
    // KubernetesClient's fallback API server is localhost:8080): see the README on ports.
    private const string DefaultMetricsAddress = ":9463";
    private const string DefaultProbesAddress = ":9464";

    public static Command Create()
    {
        var kubeconfig = new Option<FileInfo>("--kubeconfig") { Description = "Path to a kubeconfig; default: in-cluster config, else $KUBECONFIG or ~/.kube/config." };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Run the controllers only while holding the Lease incident-responder-leader (for more than one replica)." };
        var leaseNamespace = new Option<string?>("--leader-election-namespace") { Description = "Namespace of the Lease; default: the pod's namespace, else incident-responder-system in a cluster, default outside." };
        var metrics = new Option<string>(MetricsFlag) { Description = "Where to serve /metrics; port 0 picks a free port, \"0\" disables.", DefaultValueFactory = _ => DefaultMetricsAddress };
        var probes = new Option<string>(ProbesFlag) { Description = "Where to serve /healthz and /readyz; port 0 picks a free port.", DefaultValueFactory = _ => DefaultProbesAddress };
        var kubeconfigWait = KubeconfigWaitOption.Create();
        var namespaces = new Option<string[]>("--namespace") { Description = "A namespace to watch (repeatable); default: all namespaces.", AllowMultipleArgumentsPerToken = false };
        var egress = new Option<string[]>(EgressAllowFlag)
        {
            Description = "A host name (*.example.com for subdomains) or CIDR that flag endpoints and notification receivers may reach (repeatable). "
                + "Internal addresses (loopback, link-local, private, service CIDR " + EgressPolicy.DefaultServiceCidr + ", pod CIDR " + EgressPolicy.DefaultPodCidr
                + ") are refused unless a CIDR here allows them; once a host name is listed, only listed hosts are reachable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("run", "Run the operator: detect failing rollouts, open Incidents, roll back safely, verify and record.")
        {
            kubeconfig, kubeconfigWait, leaderElect, leaseNamespace, metrics, probes, namespaces, egress,
        };
        var webhook = new WebhookOptions();
        webhook.AddTo(command);
        var historyDatabase = HistoryDatabaseOption.AddTo(command, "optional: without it the operator runs on status alone");
        var evidenceRetention = new Option<int?>(EvidenceRetentionFlag)
        {
            Description = "With --history-database: delete the evidence (log excerpts, events) of incidents closed more than this many days ago; "
                + "the rest of each record stays. Default: keep it.",
        };
        evidenceRetention.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is <= 0)
            {
                result.AddError($"{EvidenceRetentionFlag} must be a whole number of days, at least 1");
            }
        });
        command.Options.Add(evidenceRetention);
        command.SetAction(async (parse, ct) =>
        {
            var history = HistoryDatabaseOption.Value(parse, historyDatabase);
            var retentionDays = parse.GetValue(evidenceRetention);
            if (retentionDays is not null && string.IsNullOrWhiteSpace(history))
            {
                throw new UserError($"{EvidenceRetentionFlag} purges the history store: pass --history-database too, or drop {EvidenceRetentionFlag}");
            }

            var metricsUrl = BindAddress.ToUrl(MetricsFlag, parse.GetValue(metrics)!);
            var probesUrl = BindAddress.ToUrl(ProbesFlag, parse.GetValue(probes)!);
            var intake = webhook.Parse(parse);
            var egressPolicy = new EgressPolicy { Allow = parse.GetValue(egress) ?? [] };
            if (egressPolicy.Invalid() is [var bad, ..])
            {
                throw new UserError($"{EgressAllowFlag} {bad}: not a host name or CIDR; pass a name like hooks.slack.com or a block like 10.20.0.0/16");
            }

            RequireListenable((MetricsFlag, metricsUrl), (ProbesFlag, probesUrl), (WebhookOptions.BindAddressFlag, intake?.Url));
            var configuration = await ClusterConnection.ConfigurationAsync(parse.GetValue(kubeconfig), parse.GetValue(kubeconfigWait),
                parse.InvocationConfiguration.Error, ct);

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
                Egress = egressPolicy,
            }.Configure<NotificationFeature>(f => f with { Options = f.Options with { Egress = egressPolicy } })
                .Configure<IncidentFeature>(f => f with { Options = f.Options with { Egress = egressPolicy } })
                .Configure<MetricsAnalysisFeature>(f => f with { Options = f.Options with { Egress = egressPolicy } });
            if (!string.IsNullOrWhiteSpace(history))
            {
                options = options.With(new HistoryFeature(history) { EvidenceRetention = retentionDays is { } days ? TimeSpan.FromDays(days) : null });
            }

            return await RunAsync(configuration, options, intake, metricsUrl, ct);
        });
        return command;
    }

    /// <summary>Every port the flags ask for is distinct and free, or the user hears which flag to change.</summary>
    private static void RequireListenable(params (string Flag, string? Url)[] addresses)
    {
        FreePort.RequireDistinct(addresses);
        foreach (var (flag, url) in addresses)
        {
            FreePort.Require(flag, url);
        }
    }

    private static async Task<int> RunAsync(
        KubernetesClientConfiguration configuration, OperatorOptions options, AlertmanagerIntakeOptions? intake, string? metricsUrl, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder();
        // One line per entry with the time, so a retry's backoff is readable and a log can be counted, grepped and
        // followed; the host's "Press Ctrl+C" status lines are for interactive apps, not an operator's log.
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
            console.UseUtcTimestamp = true;
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddSingleton<IKubernetes>(_ => new Kubernetes(configuration));
        builder.Services.AddSingleton(RuntimeMetrics.CreateForProcess());
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
