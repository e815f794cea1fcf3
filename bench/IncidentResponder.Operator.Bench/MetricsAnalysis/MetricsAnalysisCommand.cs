using System.CommandLine;
using IncidentResponder.Core.Time;

namespace IncidentResponder.Operator.Bench.MetricsAnalysis;

/// <summary>The <c>metrics-analysis</c> subcommand: a Prometheus check's signal due → Incident and → rollback.</summary>
internal static class MetricsAnalysisCommand
{
    public static Command Create()
    {
        var defaults = new MetricsSettings();
        var rollouts = new Option<int>("--rollouts") { Description = "Bad rollouts, one per Deployment (N).", DefaultValueFactory = _ => defaults.Rollouts };
        var namespaces = new Option<int>("--namespaces") { Description = "Namespaces the Deployments are spread over (one Runbook and RemediationPolicy in each).", DefaultValueFactory = _ => defaults.Namespaces };
        var atOnce = new Option<int>("--at-once") { Description = "Bad rollouts started together; the next group starts once their rollbacks are accepted.", DefaultValueFactory = _ => defaults.AtOnce };
        var scrape = new Option<string>("--scrape-interval") { Description = "Prometheus's scrape (and evaluation) interval.", DefaultValueFactory = _ => "1s" };
        var poll = new Option<string>("--poll-interval") { Description = "The policy's spec.metrics.interval (how often the operator asks Prometheus; the API default is 30s).", DefaultValueFactory = _ => defaults.PollInterval };
        var hold = new Option<string>("--for") { Description = "The check's for: how long the error ratio must stay above 0.1.", DefaultValueFactory = _ => defaults.For };
        var deadline = new Option<int>("--deadline-s") { Description = "Seconds to wait for each group's rollbacks.", DefaultValueFactory = _ => (int)defaults.Deadline.TotalSeconds };
        var operatorLog = new Option<string>("--operator-log") { Description = "File for the operator's log.", DefaultValueFactory = _ => defaults.OperatorLog };
        var command = new Command("metrics-analysis", "Signal due → Incident and → rollback for rollouts whose Ready pods serve 5xx, caught only by an error-ratio check against a real Prometheus scraping the simulator.")
        {
            rollouts, namespaces, atOnce, scrape, poll, hold, deadline, operatorLog,
        };
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (PrometheusProcess.Find() is not { } binary)
            {
                await error.WriteLineAsync("prometheus is not installed (Debian package prometheus, or set $PROMETHEUS): the metrics-analysis bench needs the real binary");
                return 2;
            }

            var settings = new MetricsSettings
            {
                Rollouts = parse.GetValue(rollouts),
                Namespaces = parse.GetValue(namespaces),
                AtOnce = parse.GetValue(atOnce),
                PollInterval = parse.GetValue(poll)!,
                For = parse.GetValue(hold)!,
                Deadline = TimeSpan.FromSeconds(parse.GetValue(deadline)),
                OperatorLog = parse.GetValue(operatorLog)!,
            };
            if (settings.Rollouts is < 1 or > 100 || settings.Namespaces < 1 || settings.AtOnce < 1 || settings.Deadline <= TimeSpan.Zero)
            {
                // The policy allows at most 100 incidents at once (the CRD's bound).
                await error.WriteLineAsync("--rollouts must be from 1 to 100, --namespaces, --at-once and --deadline-s at least 1");
                return 2;
            }

            foreach (var (name, value) in new[] { ("--scrape-interval", parse.GetValue(scrape)!), ("--poll-interval", settings.PollInterval), ("--for", settings.For) })
            {
                if (!GoDuration.TryParse(value, out var span) || (name == "--scrape-interval" && span < TimeSpan.FromMilliseconds(100)))
                {
                    await error.WriteLineAsync($"{name} {value} is not a duration like 1s or 500ms (the scrape interval at least 100ms)");
                    return 2;
                }
            }

            settings = settings with { ScrapeInterval = GoDuration.Parse(parse.GetValue(scrape)!) };
            var output = parse.InvocationConfiguration.Output;
            var (outcomes, facts) = await new MetricsAnalysisRun(settings, binary, output).RunAsync(ct);
            await output.WriteLineAsync();
            await output.WriteAsync(MetricsReport.Render(outcomes, facts));
            await output.WriteLineAsync($"operator log: {settings.OperatorLog}");
            return MetricsReport.GoalMet(outcomes) ? 0 : 1;
        });
        return command;
    }
}
