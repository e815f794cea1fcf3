using System.CommandLine;

namespace IncidentResponder.Operator.Bench.Fleet;

/// <summary>The <c>fleet</c> subcommand: memory, initial sync and kill -9 failover at Kubernetes's published scale limits.</summary>
internal static class FleetCommand
{
    public static Command Create()
    {
        var defaults = new FleetSettings();
        var deployments = new Option<int>("--deployments") { Description = "Healthy Deployments in the cluster.", DefaultValueFactory = _ => defaults.Deployments };
        var pods = new Option<int>("--pods-per-deployment") { Description = "Running pods per Deployment.", DefaultValueFactory = _ => defaults.PodsPerDeployment };
        var namespaces = new Option<int>("--namespaces") { Description = "Namespaces the Deployments are spread over.", DefaultValueFactory = _ => defaults.Namespaces };
        var nodes = new Option<int>("--nodes") { Description = "Nodes the pods are spread over, each with a kubelet heartbeat (lease every 10 s, status every minute).", DefaultValueFactory = _ => defaults.Nodes };
        var churn = new Option<int>("--churn") { Description = "Background pod writes per second during the failovers.", DefaultValueFactory = _ => defaults.ChurnPerSecond };
        var kills = new Option<int>("--kills") { Description = "Times the leader is killed, each followed by a bad rollout.", DefaultValueFactory = _ => defaults.Kills };
        var lease = new Option<int>("--lease-duration-s") { Description = "Leader election lease duration in seconds.", DefaultValueFactory = _ => (int)defaults.LeaseDuration.TotalSeconds };
        var operatorLog = new Option<string>("--operator-log") { Description = "File for both replicas' log.", DefaultValueFactory = _ => defaults.OperatorLog };
        var command = new Command("fleet", "Two operator replicas under leader election against a node fleet at Kubernetes's limits: memory per pod, initial sync, signal -> rollback, and kill -9 of the leader to the new leader's first action.")
        {
            deployments, pods, namespaces, nodes, churn, kills, lease, operatorLog,
        };
        command.SetAction(async (parse, ct) =>
        {
            var settings = new FleetSettings
            {
                Deployments = parse.GetValue(deployments),
                PodsPerDeployment = parse.GetValue(pods),
                Namespaces = parse.GetValue(namespaces),
                Nodes = parse.GetValue(nodes),
                ChurnPerSecond = parse.GetValue(churn),
                Kills = parse.GetValue(kills),
                LeaseDuration = TimeSpan.FromSeconds(parse.GetValue(lease)),
                OperatorLog = parse.GetValue(operatorLog)!,
            };
            if (settings.Deployments < settings.Kills + 1 || settings.Namespaces < 1 || settings.Nodes < 0 || settings.ChurnPerSecond < 0 || settings.Kills < 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--deployments must exceed --kills, --namespaces be at least 1, and --nodes, --churn and --kills not negative");
                return 2;
            }

            if (settings.PodsPerDeployment < 2 || settings.LeaseDuration <= settings.RenewDeadline)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"--pods-per-deployment must be at least 2 and --lease-duration-s more than the renew deadline ({settings.RenewDeadline.TotalSeconds:0} s)");
                return 2;
            }

            var output = parse.InvocationConfiguration.Output;
            var results = await new FleetRun(settings, output).RunAsync(ct);
            await output.WriteLineAsync();
            await output.WriteAsync(FleetReport.Render(results));
            await output.WriteLineAsync($"operator log: {settings.OperatorLog}");
            return FleetReport.GoalsMet(results) ? 0 : 1;
        });
        return command;
    }
}
