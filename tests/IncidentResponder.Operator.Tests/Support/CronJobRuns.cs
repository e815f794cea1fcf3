using System.Globalization;
using IncidentResponder.Api.V1Alpha1;
using k8s;
using IncidentResponder.Simulator;
using IncidentResponder.Simulator.Controllers;
using IncidentResponder.Simulator.Kubelet;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;

namespace IncidentResponder.Operator.Tests.Support;

/// <summary>
/// A CronJob scenario's world: the simulated cluster on a clock the test moves (its CronJob controller starts runs at
/// scheduled minutes of that clock), the operator on real time, a CronJob every five minutes whose job template can
/// carry the OOM fault, and reads of its runs and of what the operator did to it.
/// </summary>
internal sealed class CronJobRuns : IAsyncDisposable
{
    public const string Name = "report";
    public const string Container = "report";

    private static readonly TimeSpan Schedule = TimeSpan.FromMinutes(5);

    private CronJobRuns(OperatorCluster cluster, FakeTimeProvider clock, DateTimeOffset firstRun)
    {
        Cluster = cluster;
        Clock = clock;
        FirstRun = firstRun;
    }

    public OperatorCluster Cluster { get; }

    public FakeTimeProvider Clock { get; }

    /// <summary>The first scheduled minute after the CronJob is created.</summary>
    public DateTimeOffset FirstRun { get; }

    /// <summary>
    /// Starts the cluster 30 s before a five-minute mark of the past, so the runs' times stay close to the operator's
    /// real clock (an incident's first-seen time comes from the runs).
    /// </summary>
    public static async Task<CronJobRuns> StartAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var mark = new DateTimeOffset(now.Ticks - (now.Ticks % Schedule.Ticks), TimeSpan.Zero);
        var clock = new FakeTimeProvider(mark - TimeSpan.FromSeconds(30));
        return new CronJobRuns(await OperatorCluster.StartAsync(simulatorTime: clock), clock, mark);
    }

    /// <summary>
    /// The CronJob, with a 128Mi limit. <paramref name="fault"/> (e.g. oom) goes on its job template; with
    /// <paramref name="memoryNeeded"/> an OOM kills only below that limit, so a raise to it cures the next run.
    /// </summary>
    public async Task CreateCronJobAsync(string? fault, string? memoryNeeded = null, string name = Name, int backoffLimit = 1)
    {
        var annotations = new List<string> { $"{RunFor.Annotation}: 20s" };
        if (fault is not null)
        {
            annotations.Add($"{FaultSpec.FaultAnnotation}: {fault}");
        }

        if (memoryNeeded is not null)
        {
            annotations.Add($"{FaultSpec.MemoryNeededAnnotation}: {memoryNeeded}");
        }

        var annotationMap = "{" + string.Join(", ", annotations) + "}";
        (await Cluster.Kubectl.ApplyAsync($$$"""
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: {{{name}}}
              labels: {app: {{{name}}} }
            spec:
              schedule: "*/5 * * * *"
              concurrencyPolicy: Forbid
              jobTemplate:
                spec:
                  backoffLimit: {{{backoffLimit.ToString(CultureInfo.InvariantCulture)}}}
                  template:
                    metadata:
                      annotations: {{{annotationMap}}}
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: {{{Container}}}
                        image: busybox:1.36
                        resources: {limits: {memory: 128Mi}, requests: {memory: 64Mi}}
            """)).ShouldSucceed();
    }

    /// <summary>The Job of the run scheduled <paramref name="runs"/> periods after the first.</summary>
    public string JobName(int runs = 0, string cronJob = Name) => CronJobReconciler.JobName(cronJob, FirstRun + (Schedule * runs));

    /// <summary>
    /// Moves the simulated clock on in small steps until the run's Job has finished (Complete or Failed), never past
    /// the next scheduled minute, so exactly this run happens. Returns the condition it finished with.
    /// </summary>
    public async Task<V1JobCondition> RunToEndAsync(int run, string cronJob = Name)
    {
        var job = JobName(run, cronJob);
        var limit = FirstRun + (Schedule * run) + Schedule - TimeSpan.FromSeconds(30);
        return await Eventually.ValueAsync(async () =>
        {
            var finished = (await JobAsync(job))?.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True");
            if (finished is null && Clock.GetUtcNow() < limit)
            {
                Clock.Advance(TimeSpan.FromSeconds(5));
            }

            return finished;
        }, $"job {job} to finish", TimeSpan.FromSeconds(90));
    }

    public async Task<V1Job?> JobAsync(string name)
    {
        var jobs = await Cluster.Client.BatchV1.ListNamespacedJobAsync(OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);
        return jobs.Items.FirstOrDefault(j => j.Metadata.Name == name);
    }

    public async Task<V1CronJob> CronJobAsync(string name = Name) =>
        await Cluster.Client.BatchV1.ReadNamespacedCronJobAsync(name, OperatorCluster.Namespace, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The memory limit of the CronJob's job template: what its next run gets.</summary>
    public async Task<string?> MemoryLimitAsync(string name = Name) =>
        (await CronJobAsync(name)).Spec.JobTemplate.Spec.Template.Spec.Containers[0].Resources?.Limits?["memory"]?.ToString();

    /// <summary>Writes of the operator to the CronJob (kubectl's and server-side dry runs excluded).</summary>
    public IReadOnlyList<AuditRecord> OperatorPatches(string name = Name) =>
        [.. Cluster.Cluster.Hooks.AuditLog.Where(r => r is { Verb: "patch", Resource: "cronjobs", StatusCode: 200 } && r.Name == name
            && r.UserAgent?.StartsWith("kubectl", StringComparison.Ordinal) != true && !r.Path.Contains("dryRun", StringComparison.Ordinal))];

    /// <summary>The CronJob's incident once it is in <paramref name="phase"/>.</summary>
    public Task<Incident> IncidentInPhaseAsync(IncidentPhase phase, string name = Name) => Cluster.IncidentInPhaseAsync(name, phase);

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();
}
