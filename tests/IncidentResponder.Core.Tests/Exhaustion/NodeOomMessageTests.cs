using IncidentResponder.Core.Exhaustion;

namespace IncidentResponder.Core.Tests.Exhaustion;

public sealed class NodeOomMessageTests
{
    [Fact]
    public void Reads_node_problem_detectors_kernel_line_which_names_only_the_process()
    {
        var report = NodeOomMessage.Parse(
            "Memory cgroup out of memory: Killed process 3504804 (kubectl) total-vm:753508kB, anon-rss:58776kB, file-rss:29400kB, shmem-rss:0kB, UID:0 pgtables:288kB oom_score_adj:999");
        Assert.Equal(new OomKillReport(3504804, "kubectl", null, null, null), report);
    }

    [Fact]
    public void Reads_the_older_kill_process_form() =>
        Assert.Equal(new OomKillReport(25169, "hyperkube", null, null, null),
            NodeOomMessage.Parse("Memory cgroup out of memory: Kill process 25169 (hyperkube) score 2109 or sacrifice child"));

    [Fact]
    public void Reads_the_pod_uid_from_a_cgroupfs_memcg_path()
    {
        var report = NodeOomMessage.Parse(
            "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=abc,mems_allowed=0,oom_memcg=/kubepods/burstable/pod5d1c0e2a-6f1e-4a5b-9c3d-0123456789ab," +
            "task_memcg=/kubepods/burstable/pod5d1c0e2a-6f1e-4a5b-9c3d-0123456789ab/6895a3e1,task=java,pid=28438,uid=0");
        Assert.Equal(new OomKillReport(28438, "java", "5d1c0e2a-6f1e-4a5b-9c3d-0123456789ab", null, null), report);
    }

    [Fact]
    public void Reads_the_pod_uid_from_a_systemd_slice_and_restores_its_dashes()
    {
        var report = NodeOomMessage.Parse(
            "oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod5D1C0E2A_6f1e_4a5b_9c3d_0123456789ab.slice/cri-containerd-1.scope,task=stress,pid=7,uid=0");
        Assert.Equal("5d1c0e2a-6f1e-4a5b-9c3d-0123456789ab", report!.PodUid);
        Assert.Equal(("stress", 7), (report.Process, report.Pid));
    }

    [Fact]
    public void Reads_pod_and_namespace_when_a_monitor_adds_them()
    {
        var report = NodeOomMessage.Parse("Memory cgroup out of memory: Killed process 42 (app) pod: web-7d9f-abcde namespace: shop");
        Assert.Equal(new OomKillReport(42, "app", null, "web-7d9f-abcde", "shop"), report);
        Assert.Equal(("web-1", "shop"), (NodeOomMessage.Parse("out of memory: Killed process 1 (x) pod=web-1 namespace=shop")!.PodName, "shop"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Started kubelet")]
    [InlineData("NodeHasSufficientMemory")]
    public void Other_messages_are_not_oom_kills(string? message) => Assert.Null(NodeOomMessage.Parse(message));
}
