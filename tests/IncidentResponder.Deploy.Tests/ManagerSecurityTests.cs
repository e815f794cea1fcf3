using IncidentResponder.Deploy.Tests.Support;

namespace IncidentResponder.Deploy.Tests;

/// <summary>
/// The operator's Deployment, as kustomize installs it, passes the restricted Pod Security Standard (plus a
/// read-only root filesystem) and has what a cluster needs to run it well: probes, resources, a metrics port.
/// </summary>
public sealed class ManagerSecurityTests
{
    private static async Task<ManagerPod> ManagerAsync() => ManagerPod.Of(await Installed.ManagerDeploymentAsync());

    [Fact]
    public async Task Runs_as_a_fixed_non_root_user() => (await ManagerAsync()).AssertRunsAsNonRoot();

    [Fact]
    public async Task Cannot_escalate_privileges_and_drops_every_capability() => (await ManagerAsync()).AssertNoPrivilegeOrCapabilities();

    [Fact]
    public async Task Uses_the_runtime_default_seccomp_profile() => (await ManagerAsync()).AssertRuntimeDefaultSeccomp();

    [Fact]
    public async Task Has_a_read_only_root_filesystem_with_only_an_empty_dir_at_tmp_writable() => (await ManagerAsync()).AssertReadOnlyRootWithWritableTmp();

    [Fact]
    public async Task Mounts_its_service_account_token_because_it_calls_the_api_server() => (await ManagerAsync()).AssertMountsServiceAccountToken();

    [Fact]
    public async Task Probes_health_and_readiness_on_the_health_port() => (await ManagerAsync()).AssertProbes();

    [Fact]
    public async Task Exposes_metrics_on_a_named_port_matching_its_bind_address() => (await ManagerAsync()).AssertMetricsPort();

    [Fact]
    public async Task Requests_cpu_and_memory_and_limits_memory() => (await ManagerAsync()).AssertResources();

    [Fact]
    public async Task Runs_the_operator_with_leader_election()
    {
        var args = (await ManagerAsync()).Container.Strings("args");

        Assert.Equal("run", args[0]);
        Assert.Contains("--leader-elect", args);
    }

    [Fact]
    public async Task The_image_is_pulled_by_tag_not_latest()
    {
        var image = (await ManagerAsync()).Container.Str("image")!;

        Assert.Contains(':', image);
        Assert.False(image.EndsWith(":latest", StringComparison.Ordinal), $"{image} uses the mutable latest tag");
    }
}
