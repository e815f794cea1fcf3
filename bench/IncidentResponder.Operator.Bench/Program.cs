using System.CommandLine;
using IncidentResponder.Core.Time;
using IncidentResponder.Operator.Bench;
using IncidentResponder.Operator.Bench.Fleet;
using IncidentResponder.Operator.Bench.GitOpsWriteBack;
using IncidentResponder.Operator.Bench.Workloads;
using IncidentResponder.Operator.Bench.MetricsAnalysis;

var defaults = new BenchSettings();
var deployments = new Option<int>("--deployments") { Description = "Healthy Deployments in the cluster.", DefaultValueFactory = _ => defaults.Deployments };
var podsPerDeployment = new Option<int>("--pods-per-deployment") { Description = "Replicas (running pods) per Deployment.", DefaultValueFactory = _ => defaults.PodsPerDeployment };
var namespaces = new Option<int>("--namespaces") { Description = "Namespaces the Deployments are spread over (one Runbook and RemediationPolicy in each).", DefaultValueFactory = _ => defaults.Namespaces };
var badRollouts = new Option<int>("--bad-rollouts") { Description = "Deployments that get a crash-looping rollout (K).", DefaultValueFactory = _ => defaults.BadRollouts };
var gitOpsShare = new Option<double>("--gitops-share") { Description = "Fraction (0..1) of the bad-rollout targets owned by an Argo CD Application (paused before the rollback).", DefaultValueFactory = _ => defaults.GitOpsShare };
var interval = new Option<int>("--rollout-interval-ms") { Description = "Milliseconds between the starts of two bad rollouts.", DefaultValueFactory = _ => (int)defaults.RolloutInterval.TotalMilliseconds };
var churn = new Option<int>("--churn") { Description = "Background pod writes per second (annotations and statuses of healthy pods).", DefaultValueFactory = _ => defaults.ChurnPerSecond };
var holdFor = new Option<string>("--hold-for") { Description = "The policy's holdFor; 0s is the shortest the CRD accepts.", DefaultValueFactory = _ => defaults.HoldFor };
var crashDelay = new Option<int>("--crash-delay-ms") { Description = "Milliseconds from the new pods' creation to the first crash-loop status.", DefaultValueFactory = _ => (int)defaults.CrashDelay.TotalMilliseconds };
var crashSpacing = new Option<int>("--crash-spacing-ms") { Description = "Milliseconds between the crash-loop statuses of the new pods.", DefaultValueFactory = _ => (int)defaults.CrashSpacing.TotalMilliseconds };
var deadline = new Option<int>("--deadline-s") { Description = "Seconds to wait after the last bad rollout for every incident and rollback.", DefaultValueFactory = _ => (int)defaults.Deadline.TotalSeconds };
var operatorLog = new Option<string>("--operator-log") { Description = "File for the operator's log.", DefaultValueFactory = _ => defaults.OperatorLog };
var root = new RootCommand("End-to-end latency of the operator against a large, churning simulated cluster: from a bad rollout's clear signal at the API (+ holdFor) to the Incident created and to the rollback patch accepted, with the raw watch delivery latency of the same pod events.")
{
    deployments, podsPerDeployment, namespaces, badRollouts, gitOpsShare, interval, churn, holdFor, crashDelay, crashSpacing, deadline, operatorLog,
};
root.Subcommands.Add(WriteBackCommand.Create());
root.Subcommands.Add(FleetCommand.Create());
root.Subcommands.Add(WorkloadsCommand.Create());
root.Subcommands.Add(MetricsAnalysisCommand.Create());
root.SetAction(async (parse, ct) =>
{
    var settings = new BenchSettings
    {
        Deployments = parse.GetValue(deployments),
        PodsPerDeployment = parse.GetValue(podsPerDeployment),
        Namespaces = parse.GetValue(namespaces),
        BadRollouts = parse.GetValue(badRollouts),
        GitOpsShare = parse.GetValue(gitOpsShare),
        RolloutInterval = TimeSpan.FromMilliseconds(parse.GetValue(interval)),
        ChurnPerSecond = parse.GetValue(churn),
        HoldFor = parse.GetValue(holdFor)!,
        CrashDelay = TimeSpan.FromMilliseconds(parse.GetValue(crashDelay)),
        CrashSpacing = TimeSpan.FromMilliseconds(parse.GetValue(crashSpacing)),
        Deadline = TimeSpan.FromSeconds(parse.GetValue(deadline)),
        OperatorLog = parse.GetValue(operatorLog)!,
    };
    var error = parse.InvocationConfiguration.Error;
    if (settings.Deployments < 1 || settings.Namespaces < 1 || settings.BadRollouts < 1 || settings.BadRollouts > settings.Deployments || settings.ChurnPerSecond < 0)
    {
        await error.WriteLineAsync("--deployments, --namespaces and --bad-rollouts must be at least 1, --bad-rollouts at most --deployments, --churn not negative");
        return 2;
    }

    if (settings.GitOpsShare is < 0 or > 1 || double.IsNaN(settings.GitOpsShare))
    {
        await error.WriteLineAsync($"--gitops-share {settings.GitOpsShare} must be a fraction from 0 to 1, like 0.5");
        return 2;
    }

    if (settings.PodsPerDeployment < 2)
    {
        await error.WriteLineAsync("--pods-per-deployment must be at least 2 (a rolling update needs maxSurge and maxUnavailable)");
        return 2;
    }

    if (!GoDuration.TryParse(settings.HoldFor, out _))
    {
        await error.WriteLineAsync($"--hold-for {settings.HoldFor} is not a duration like 0s, 500ms or 2s");
        return 2;
    }

    var output = parse.InvocationConfiguration.Output;
    var (report, facts) = await new BenchRun(settings, output).RunAsync(ct);
    await output.WriteLineAsync();
    await output.WriteAsync(ResultsTable.Render(settings, report, facts));
    await output.WriteLineAsync($"operator log: {settings.OperatorLog}");
    return ResultsTable.GoalMet(report, facts) ? 0 : 1;
});
return await root.Parse(args).InvokeAsync();
