using static IncidentResponder.Simulator.Tests.Workloads.WorkloadHarness;

namespace IncidentResponder.Simulator.Tests.Workloads;

/// <summary>Jobs through the real kubectl: pods that run to completion, parallelism, and failures up to the back-off limit.</summary>
public sealed class JobKubectlTests
{
    private static IEnumerable<string?> JobPodPhases(ClusterHarness harness, string job) =>
        Pods(harness).Where(p => Label(p, "batch.kubernetes.io/job-name") == job).Select(p => Str(p["status"]?["phase"]));

    [Fact]
    public async Task Kubectl_create_job_runs_a_pod_to_completion()
    {
        await using var harness = await StartAsync();
        (await harness.KubectlAsync("create", "job", "hello", "--image=busybox:1.36", "--", "echo", "hi")).ShouldSucceed();

        (await harness.KubectlWithTimeoutAsync(Generous, "wait", "--for=condition=complete", "job/hello", "--timeout=50s")).ShouldSucceed();
        Assert.Equal(["Succeeded"], JobPodPhases(harness, "hello"));
        var status = (await harness.KubectlAsync("get", "job", "hello", "-o", "jsonpath={.status.succeeded} {.status.active} {.status.conditions[?(@.type==\"Complete\")].reason} {.status.completionTime}")).ShouldSucceed().Stdout;
        Assert.Matches(@"^1  CompletionsReached \d{4}-", status);
        var pod = Pods(harness).Single();
        Assert.Equal("Completed", Str(pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["reason"]));
        var get = (await harness.KubectlAsync("get", "pods", "--no-headers")).ShouldSucceed().Stdout;
        Assert.Matches(@"hello-\w{5}\s+0/1\s+Completed\s+0", get);
        var table = (await harness.KubectlAsync("get", "job", "hello", "--no-headers")).ShouldSucceed().Stdout;
        Assert.Matches(@"^hello\s+Complete\s+1/1\s+\d+s\s+\d+s", table);
    }

    [Fact]
    public async Task Parallel_completions_keep_at_most_parallelism_pods_running()
    {
        await using var harness = await StartAsync();
        (await harness.Kubectl.ApplyAsync("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: batch
            spec:
              completions: 4
              parallelism: 2
              template:
                metadata:
                  annotations: {sim.incidentresponder.dev/run-for: 2s}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: work
                    image: busybox:1.36
            """)).ShouldSucceed();

        var mostActive = 0;
        await Eventually.TrueAsync(() =>
        {
            mostActive = Math.Max(mostActive, JobPodPhases(harness, "batch").Count(phase => phase is "Pending" or "Running"));
            return JobPodPhases(harness, "batch").Count(phase => phase == "Succeeded") == 4;
        }, "four succeeded pods", Generous);
        Assert.InRange(mostActive, 1, 2);
        (await harness.KubectlWithTimeoutAsync(Generous, "wait", "--for=condition=complete", "job/batch", "--timeout=50s")).ShouldSucceed();
        Assert.Equal(4, JobPodPhases(harness, "batch").Count());
    }

    [Fact]
    public async Task Pods_killed_for_memory_fail_the_job_once_the_backoff_limit_is_exceeded()
    {
        await using var harness = await StartAsync();
        (await harness.Kubectl.ApplyAsync("""
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: hungry
            spec:
              backoffLimit: 1
              template:
                metadata:
                  annotations: {sim.incidentresponder.dev/fault: oom}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: work
                    image: busybox:1.36
                    resources:
                      limits: {memory: 64Mi}
            """)).ShouldSucceed();

        (await harness.KubectlWithTimeoutAsync(Generous, "wait", "--for=condition=failed", "job/hungry", "--timeout=50s")).ShouldSucceed();
        var status = (await harness.KubectlAsync("get", "job", "hungry", "-o", "jsonpath={.status.failed} {.status.conditions[?(@.type==\"Failed\")].reason}")).ShouldSucceed().Stdout;
        Assert.Equal("2 BackoffLimitExceeded", status);
        Assert.Equal(["Failed", "Failed"], JobPodPhases(harness, "hungry"));
        Assert.All(Pods(harness), pod => Assert.Equal(137, pod["status"]!["containerStatuses"]![0]!["state"]!["terminated"]!["exitCode"]!.GetValue<int>()));
        var describe = (await harness.KubectlAsync("describe", "job", "hungry")).ShouldSucceed().Stdout;
        Assert.Matches(@"Warning\s+BackoffLimitExceeded\s+.*job-controller\s+Job has reached the specified backoff limit", describe);
    }
}
