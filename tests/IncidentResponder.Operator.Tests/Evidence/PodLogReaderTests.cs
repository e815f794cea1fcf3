using IncidentResponder.Operator.Evidence;
using k8s;
using k8s.Models;

namespace IncidentResponder.Operator.Tests.Evidence;

/// <summary>A workload writes its own log: however long its lines, reading its evidence costs a bounded number of bytes.</summary>
public sealed class PodLogReaderTests
{
    private const string Pod = "noisy";
    private const string Container = "app";

    [Fact]
    public async Task A_single_line_of_eight_megabytes_is_read_only_up_to_the_byte_limit_and_the_limit_is_asked_of_the_API_server()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        await CreatePodAsync(client);
        harness.Cluster.Store.Logs.Append("default", Pod, Container, "starting app");
        // No newline for 8 MiB: a tail of N lines bounds nothing here.
        harness.Cluster.Store.Logs.Append("default", Pod, Container, new string('A', 8 * 1024 * 1024));

        var log = await new PodLogReader(client).ReadAsync("default", Pod, Container, previous: false, tailLines: 500, limitBytes: 4096, TestContext.Current.CancellationToken);

        Assert.Null(log.Unavailable);
        Assert.Equal("starting app", log.Lines[0]);
        Assert.Equal(2, log.Lines.Count);
        Assert.Equal(4096 - "starting app\n".Length, log.Lines[1].Length);
        // The API server records the request once its response ends, which the reader cut short.
        await Eventually.TrueAsync(() => harness.Cluster.Hooks.AuditLog.Any(r => r.Subresource == "log"
            && r.Path.Contains("limitBytes=4096", StringComparison.Ordinal) && r.Path.Contains("tailLines=500", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_log_under_the_byte_limit_is_read_whole_line_by_line()
    {
        await using var harness = await ClusterHarness.StartAsync();
        using var client = harness.Client();
        await CreatePodAsync(client);
        var written = Enumerable.Range(1, 40).Select(i => $"line {i}: request served in {i} ms").ToList();
        foreach (var line in written)
        {
            harness.Cluster.Store.Logs.Append("default", Pod, Container, line);
        }

        var log = await new PodLogReader(client).ReadAsync("default", Pod, Container, previous: false, tailLines: 30, limitBytes: 64 * 1024, TestContext.Current.CancellationToken);

        Assert.Equal(written.TakeLast(30), log.Lines);
    }

    private static Task<V1Pod> CreatePodAsync(IKubernetes client) => client.CoreV1.CreateNamespacedPodAsync(new V1Pod
    {
        Metadata = new V1ObjectMeta { Name = Pod },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = Container, Image = "busybox:1.36" }] },
    }, "default", cancellationToken: TestContext.Current.CancellationToken);
}
