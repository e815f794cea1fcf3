using System.Globalization;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Storage;
using Microsoft.Extensions.Time.Testing;
using static IncidentResponder.Simulator.Tests.Workloads.WorkloadHarness;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>CronJobs on the simulator's injected clock: schedules, concurrency policies, history limits, suspend, and kubectl.</summary>
public sealed class CronJobKubectlTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 30, TimeSpan.Zero);

    private static string CronJob(string policy, string runFor, int successfulLimit = 3, int? startingDeadlineSeconds = null) => $"""
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: report
        spec:
          schedule: "*/5 * * * *"
          concurrencyPolicy: {policy}
          successfulJobsHistoryLimit: {successfulLimit.ToString(CultureInfo.InvariantCulture)}
          {(startingDeadlineSeconds is { } deadline ? "startingDeadlineSeconds: " + deadline.ToString(CultureInfo.InvariantCulture) : string.Empty)}
          jobTemplate:
            spec:
              template:
                metadata:
                  annotations: {"{"}sim.incidentresponder.dev/run-for: {runFor}{"}"}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: report
                    image: busybox:1.36
        """;

    private static IReadOnlyList<string> JobNames(ClusterHarness harness) =>
        [.. harness.Cluster.Store.List(BuiltinResources.Jobs, "default").Where(j => j["metadata"]?["deletionTimestamp"] is null).Select(j => Str(j["metadata"]!["name"])!).Order(StringComparer.Ordinal)];

    private static bool JobSucceeded(ClusterHarness harness, string name) =>
        harness.Cluster.Store.List(BuiltinResources.Jobs, "default").Any(j =>
            Str(j["metadata"]!["name"]) == name
            && j["status"]?["conditions"]?.AsArray().Any(c => Str(c!["type"]) == "Complete" && Str(c["status"]) == "True") == true);

    private static string NameAt(int hour, int minute) => CronJobReconciler.JobName("report", new DateTimeOffset(2026, 1, 1, hour, minute, 0, TimeSpan.Zero));

    /// <summary>Moves the clock to <paramref name="to"/> in small steps, so the kubelet and controllers see each moment as a cluster would.</summary>
    private static async Task AdvanceToAsync(FakeTimeProvider clock, DateTimeOffset to)
    {
        while (clock.GetUtcNow() < to)
        {
            var step = TimeSpan.FromSeconds(20) < to - clock.GetUtcNow() ? TimeSpan.FromSeconds(20) : to - clock.GetUtcNow();
            clock.Advance(step);
            await Task.Yield();
        }
    }

    /// <summary>The clock only moves on once the kubelet has a job's pod, so the pod's run happens on the clock.</summary>
    private static Task KubeletHasPodOfAsync(ClusterHarness harness, string job) =>
        Eventually.TrueAsync(() => Pods(harness).Any(p => Label(p, "job-name") == job && p["status"]?["containerStatuses"] is not null), $"the kubelet running {job}'s pod", Generous);

    private static async Task<(ClusterHarness Harness, FakeTimeProvider Clock)> StartOnClockAsync()
    {
        var clock = new FakeTimeProvider(Start);
        return (await StartAsync(new SimulatorOptions { Time = clock }, speedFactor: 1), clock);
    }

    [Fact]
    public async Task A_cronjob_starts_a_job_named_by_its_scheduled_minute_and_forbid_skips_while_it_runs()
    {
        var (harness, clock) = await StartOnClockAsync();
        await using var _ = harness;
        // A one-minute starting deadline: without one, the run Forbid skipped at 00:10 would start late, as soon as the
        // 00:05 run finishes (upstream behaves so), and which run comes next would depend on timing.
        (await harness.Kubectl.ApplyAsync(CronJob("Forbid", "8m", startingDeadlineSeconds: 60))).ShouldSucceed();

        await AdvanceToAsync(clock, Start.AddMinutes(5));
        await Eventually.TrueAsync(() => JobNames(harness).SequenceEqual([NameAt(0, 5)]), "the 00:05 job", Generous);
        await KubeletHasPodOfAsync(harness, NameAt(0, 5));
        Assert.Equal((new DateTimeOffset(2026, 1, 1, 0, 5, 0, TimeSpan.Zero).ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture), NameAt(0, 5)["report-".Length..]);
        var status = (await harness.KubectlAsync("get", "cronjob", "report", "-o", "jsonpath={.status.lastScheduleTime} {.status.active[0].name}")).ShouldSucceed().Stdout;
        Assert.Equal($"2026-01-01T00:05:00Z {NameAt(0, 5)}", status);

        // 00:10: the 00:05 job runs for 8 minutes, so Forbid starts nothing.
        await AdvanceToAsync(clock, Start.AddMinutes(10));
        await Eventually.TrueAsync(async () => (await harness.KubectlAsync("get", "events", "--field-selector", "reason=JobAlreadyActive", "-o", "name")).Stdout.Length > 0, "a JobAlreadyActive event", Generous);
        Assert.Equal([NameAt(0, 5)], JobNames(harness));

        // 00:15: it finished at about 00:13, so the next one starts and lastSuccessfulTime is recorded. The clock
        // waits at 00:14 for the finish, so the 00:15 run never meets a still-active job however busy the machine.
        await AdvanceToAsync(clock, Start.AddMinutes(14));
        await Eventually.TrueAsync(() => JobSucceeded(harness, NameAt(0, 5)), "the 00:05 job complete", Generous);
        await AdvanceToAsync(clock, Start.AddMinutes(15));
        await Eventually.TrueAsync(() => JobNames(harness).SequenceEqual([NameAt(0, 5), NameAt(0, 15)]), "the 00:15 job", Generous);
        await Eventually.TrueAsync(async () => (await harness.KubectlAsync("get", "cronjob", "report", "-o", "jsonpath={.status.lastSuccessfulTime}")).Stdout.StartsWith("2026-01-01T00:1", StringComparison.Ordinal), "lastSuccessfulTime", Generous);

        var row = (await harness.KubectlAsync("get", "cronjob", "report", "--no-headers")).ShouldSucceed().Stdout;
        Assert.Matches(@"^report\s+\*/5 \* \* \* \*\s+<none>\s+False\s+1\s+\S+\s+\S+", row);
        var listed = (await harness.KubectlAsync("get", "cronjob,job", "-o", "name")).ShouldSucceed().Stdout;
        Assert.Contains("cronjob.batch/report", listed, StringComparison.Ordinal);
        Assert.Contains($"job.batch/{NameAt(0, 15)}", listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_deletes_the_running_job_and_history_limits_keep_the_newest_finished_jobs()
    {
        var (harness, clock) = await StartOnClockAsync();
        await using var _ = harness;
        (await harness.Kubectl.ApplyAsync(CronJob("Replace", "8m"))).ShouldSucceed();
        await AdvanceToAsync(clock, Start.AddMinutes(5));
        await Eventually.TrueAsync(() => JobNames(harness).SequenceEqual([NameAt(0, 5)]), "the 00:05 job", Generous);
        await AdvanceToAsync(clock, Start.AddMinutes(10));
        await Eventually.TrueAsync(() => JobNames(harness).SequenceEqual([NameAt(0, 10)]), "the 00:10 job replacing the 00:05 one", Generous);
        await KubeletHasPodOfAsync(harness, NameAt(0, 10));

        (await harness.Kubectl.ApplyAsync(CronJob("Allow", "1m", successfulLimit: 2))).ShouldSucceed();
        foreach (var minute in new[] { 15, 20, 25, 30 })
        {
            await AdvanceToAsync(clock, Start.AddMinutes(minute));
            await Eventually.TrueAsync(() => JobNames(harness).Contains(NameAt(0, minute)), $"the 00:{minute} job", Generous);
            await KubeletHasPodOfAsync(harness, NameAt(0, minute));
        }

        await AdvanceToAsync(clock, Start.AddMinutes(33));
        await Eventually.TrueAsync(() => JobNames(harness).SequenceEqual([NameAt(0, 25), NameAt(0, 30)]), "the two newest successful jobs only", Generous);
    }

    [Fact]
    public async Task A_suspended_cronjob_starts_nothing_and_kubectl_create_job_from_it_runs_once()
    {
        var (harness, clock) = await StartOnClockAsync();
        await using var _ = harness;
        (await harness.Kubectl.ApplyAsync(CronJob("Allow", "1m"))).ShouldSucceed();
        (await harness.KubectlAsync("patch", "cronjob", "report", "--type=merge", "-p", """{"spec":{"suspend":true}}""")).ShouldSucceed();
        await AdvanceToAsync(clock, Start.AddMinutes(11));

        (await harness.KubectlAsync("create", "job", "manual", "--from=cronjob/report")).ShouldSucceed();
        await Eventually.TrueAsync(() => JobNames(harness).SequenceEqual(["manual"]), "only the manual job", Generous);
        var job = harness.Cluster.Store.Get(BuiltinResources.Jobs, "default", "manual")!;
        Assert.Equal("manual", Str(job["metadata"]!["annotations"]!["cronjob.kubernetes.io/instantiate"]));
        Assert.Equal("1m", Str(job["spec"]!["template"]!["metadata"]!["annotations"]!["sim.incidentresponder.dev/run-for"]));
        await KubeletHasPodOfAsync(harness, "manual");
        await AdvanceToAsync(clock, Start.AddMinutes(13));
        await Eventually.TrueAsync(async () => (await harness.KubectlAsync("get", "job", "manual", "-o", "jsonpath={.status.succeeded}")).Stdout == "1", "the manual job to succeed", Generous);
        Assert.Null(harness.Cluster.Store.Get(BuiltinResources.CronJobs, "default", "report")!["status"]?["lastScheduleTime"]);
    }
}
