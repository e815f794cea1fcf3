using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Core.Jobs;
using IncidentResponder.Core.Observations;

namespace IncidentResponder.Core.Tests.Jobs;

public sealed class CronJobFailureDetectorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PodTemplateSummary Template(string limit) => new(ValueList.Of(new ContainerSummary("job", "busybox:1.36", ValueList<string>.Empty,
        ValueList<ResourceQuantity>.Empty, ValueList.Of(new ResourceQuantity("memory", limit)), ValueList<string>.Empty, ValueList<string>.Empty)));

    private static CronJobObservation CronJob(string limit = "128Mi") =>
        new("default", "report", "uid-1", 1, false, new Dictionary<string, string>(), Template(limit));

    private static JobRun Run(int minute, JobRunOutcome outcome, bool oom = false, string limit = "128Mi")
    {
        var container = new ContainerObservation("job", false, false, null, oom ? "OOMKilled" : outcome == JobRunOutcome.Failed ? "Error" : "Completed",
            oom ? 137 : outcome == JobRunOutcome.Failed ? 1 : 0, Start.AddMinutes(minute + 1), 0);
        var pod = new PodObservation($"report-{minute}-pod", null, null, Start.AddMinutes(minute), outcome == JobRunOutcome.Failed ? "Failed" : "Succeeded",
            false, null, ValueList.Of(container));
        return new JobRun($"report-{minute}", Start.AddMinutes(minute), Template(limit), outcome,
            outcome == JobRunOutcome.Failed ? "BackoffLimitExceeded" : null, ValueList.Of(pod));
    }

    private static CronJobDetection Detect(CronJobObservation cronJob, params JobRun[] runs) => CronJobFailureDetector.Detect(cronJob, runs, CronJobThresholds.Default);

    [Fact]
    public void One_failed_run_whose_pods_were_oom_killed_opens_an_oom_signal_naming_the_run_and_its_pods()
    {
        var detection = Detect(CronJob(), Run(0, JobRunOutcome.Succeeded), Run(5, JobRunOutcome.Failed, oom: true));

        var signal = Assert.IsType<Core.Detection.DetectedSignal>(detection.Signal);
        Assert.Equal((SignalType.OOMKilled, "report", (long?)null), (signal.Key.Type, signal.Key.Target, signal.Key.Revision));
        Assert.Equal(["report-5-pod"], signal.AffectedPods);
        Assert.Contains("report-5 (BackoffLimitExceeded, OOM-killed)", signal.Message, StringComparison.Ordinal);
        Assert.False(detection.Healthy);
    }

    [Fact]
    public void A_single_failed_run_without_an_oom_kill_opens_nothing()
    {
        Assert.Null(Detect(CronJob(), Run(0, JobRunOutcome.Succeeded), Run(5, JobRunOutcome.Failed)).Signal);
    }

    [Fact]
    public void Two_failed_runs_in_a_row_open_one_when_the_older_was_oom_killed()
    {
        Assert.NotNull(Detect(CronJob(), Run(0, JobRunOutcome.Failed, oom: true), Run(5, JobRunOutcome.Failed)).Signal);
        Assert.Null(Detect(CronJob(), Run(0, JobRunOutcome.Failed), Run(5, JobRunOutcome.Failed)).Signal);
    }

    [Fact]
    public void A_run_that_succeeded_after_the_oom_killed_one_clears_it()
    {
        var detection = Detect(CronJob(), Run(0, JobRunOutcome.Failed, oom: true), Run(5, JobRunOutcome.Succeeded));

        Assert.Null(detection.Signal);
        Assert.True(detection.Healthy);
    }

    [Fact]
    public void Runs_of_an_older_job_template_do_not_count_even_when_the_template_is_back_to_theirs()
    {
        // Raised to 192Mi: the 128Mi run says nothing about the raised template, and no run of it has finished yet.
        var raised = Detect(CronJob("192Mi"), Run(0, JobRunOutcome.Failed, oom: true));
        Assert.Equal((null, null), (raised.Signal, raised.LastRun));

        // Set back to 128Mi after a good 192Mi run: the failed 128Mi run from before the raise must not count again.
        Assert.Null(Detect(CronJob(), Run(0, JobRunOutcome.Failed, oom: true), Run(5, JobRunOutcome.Succeeded, limit: "192Mi")).Signal);
    }

    [Fact]
    public void A_running_run_neither_opens_nor_clears_anything()
    {
        var detection = Detect(CronJob(), Run(0, JobRunOutcome.Failed, oom: true), Run(5, JobRunOutcome.Running));

        Assert.NotNull(detection.Signal);
        Assert.Equal("report-0", detection.LastRun?.Name);
    }

    [Fact]
    public void The_cronjob_is_decided_as_a_one_replica_workload_available_after_a_good_run_and_paused_when_suspended()
    {
        var healthy = CronJobWorkload.Input(CronJob() with { Suspended = true }, Detect(CronJob(), Run(0, JobRunOutcome.Succeeded)));
        Assert.Equal(("CronJob", 1, 1, true), (healthy.Deployment.Kind, healthy.Deployment.DesiredReplicas, healthy.Deployment.AvailableReplicas, healthy.Deployment.Paused));
        Assert.True(healthy.Deployment.FullyAvailable);

        var failing = CronJobWorkload.Input(CronJob(), Detect(CronJob(), Run(0, JobRunOutcome.Failed, oom: true)));
        Assert.Equal((0, "False"), (failing.Deployment.AvailableReplicas, failing.Deployment.Condition("Available")?.Status));
        Assert.Equal(["report-0-pod"], failing.Pods.Select(p => p.Name));
    }
}
