using System.Text.Json.Nodes;
using IncidentResponder.Api.V1Alpha1;
using IncidentResponder.Simulator;
using k8s;

namespace IncidentResponder.Tests;

/// <summary>
/// <c>kubectl incident</c> as a person runs it: installed with <c>incident-responder plugin install</c>, found by the
/// real kubectl on PATH, against a simulated cluster. These tests check what the plugin writes into the Incident's
/// spec; what the operator then does with it is the operator's tests' business.
/// </summary>
public sealed class IncidentPluginTests
{
    /// <summary>A cluster with the CRDs and the plugin installed for its kubeconfig.</summary>
    internal static async Task<(ClusterHarness Cluster, KubectlPlugin Plugin)> StartAsync()
    {
        var cluster = await ClusterHarness.StartAsync();
        (await cluster.KubectlAsync("apply", "-f", RepositoryRoot.Combine("config/crd/bases"))).ShouldSucceed();
        return (cluster, await KubectlPlugin.InstallAsync(ExecutableProcess.Path, cluster.Kubeconfig, cluster.Directory));
    }

    private static async Task<Incident> IncidentAsync(ClusterHarness cluster, string name)
    {
        using var client = cluster.Client();
        return await client.CustomObjects.GetNamespacedCustomObjectAsync<Incident>(
            GroupVersion.Group, GroupVersion.Version, "default", Incident.Plural, name, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Install_writes_a_launcher_kubectl_finds_and_the_board_lists_incidents_worst_first_then_oldest_first()
    {
        var (cluster, plugin) = await StartAsync();
        await using var _ = cluster;
        (await plugin.IncidentAsync("declare", "--name", "cart-slow", "--target", "cart", "--severity", "SEV-3", "--summary", "cart is slow")).ShouldSucceed();
        (await plugin.IncidentAsync("declare", "--name", "pay-down", "--target", "payments", "--severity", "SEV-1", "--summary", "no payments")).ShouldSucceed();
        (await plugin.IncidentAsync("declare", "--name", "search-odd", "--target", "search", "--severity", "SEV-3", "--summary", "odd results", "--signal", "DataIssue")).ShouldSucceed();

        var plugins = (await plugin.KubectlAsync("plugin", "list")).ShouldSucceed().Stdout;
        var board = (await plugin.IncidentAsync("board")).ShouldSucceed().Stdout;

        Assert.Contains(plugin.Launcher, plugins, StringComparison.Ordinal);
        Assert.Matches(
            @"^NAMESPACE\s+NAME\s+SEVERITY\s+PHASE\s+TARGET\s+SIGNAL\s+HELD BY\s+AGE\n"
            + @"default\s+pay-down\s+SEV-1\s+payments\s+Manual\s+automation\s+\d+s\n"
            + @"default\s+cart-slow\s+SEV-3\s+cart\s+Manual\s+automation\s+\d+s\n"
            + @"default\s+search-odd\s+SEV-3\s+search\s+DataIssue\s+automation\s+\d+s\n$",
            board);
        Assert.Equal("No incidents in namespace elsewhere.\n", (await plugin.IncidentAsync("board", "-n", "elsewhere")).ShouldSucceed().Stdout);
    }

    [Fact]
    public async Task Declare_names_who_declared_it_from_the_clusters_answer_and_marks_it_manual()
    {
        var (cluster, plugin) = await StartAsync();
        await using var _ = cluster;

        var declared = (await plugin.IncidentAsync("declare", "--target", "checkout", "--severity", "sev-2", "--summary", "checkout returns 502")).ShouldSucceed().Stdout;

        var name = Assert.Single(System.Text.RegularExpressions.Regex.Matches(declared, @"incident\.incidentresponder\.dev/(checkout-\w+) declared by kubernetes-admin \(SEV-2, Deployment checkout\)")).Groups[1].Value;
        var incident = await IncidentAsync(cluster, name);
        Assert.Equal(("kubernetes-admin", IncidentSource.Manual, Severity.Sev2, "checkout returns 502"), (incident.Spec.DeclaredBy, incident.Spec.Source, incident.Spec.Severity, incident.Spec.Summary));
        Assert.Equal(("Deployment", "checkout", SignalType.Manual), (incident.Spec.TargetRef.Kind, incident.Spec.TargetRef.Name, incident.Spec.Signal.Type));
    }

    [Fact]
    public async Task Each_command_writes_the_persons_request_into_the_spec_with_who_made_it()
    {
        var (cluster, plugin) = await StartAsync();
        await using var _ = cluster;
        (await plugin.IncidentAsync("declare", "--name", "web-down", "--target", "web", "--severity", "SEV-2", "--summary", "web is down")).ShouldSucceed();

        Assert.Equal("incident.incidentresponder.dev/web-down acknowledged by kubernetes-admin\n", (await plugin.IncidentAsync("ack", "web-down")).ShouldSucceed().Stdout);
        (await plugin.IncidentAsync("note", "web-down", "paged the database team")).ShouldSucceed();
        (await plugin.IncidentAsync("note", "web-down", "database failover started")).ShouldSucceed();
        (await plugin.IncidentAsync("severity", "web-down", "SEV-1", "--reason", "all regions")).ShouldSucceed();
        (await plugin.IncidentAsync("roles", "web-down", "--commander", "alice", "--communications", "bob")).ShouldSucceed();
        (await plugin.IncidentAsync("roles", "web-down", "--commander", "carol")).ShouldSucceed();
        (await plugin.IncidentAsync("handback", "web-down", "--reason", "runbook can take it")).ShouldSucceed();
        var afterRequests = (await IncidentAsync(cluster, "web-down")).Spec;

        Assert.Equal("kubernetes-admin", afterRequests.Acknowledgement!.By);
        Assert.NotNull(afterRequests.Acknowledgement.At);
        Assert.Equal(["paged the database team", "database failover started"], afterRequests.Notes!.Select(n => n.Text));
        Assert.All(afterRequests.Notes!, n => Assert.Equal("kubernetes-admin", n.By));
        Assert.Equal((Severity.Sev1, "kubernetes-admin", "all regions"), (afterRequests.Regrade!.Severity, afterRequests.Regrade.By, afterRequests.Regrade.Reason));
        Assert.Equal(("carol", "bob"), (afterRequests.Roles!.Commander, afterRequests.Roles.Communications));
        Assert.Equal(("kubernetes-admin", "runbook can take it"), (afterRequests.Handback!.By, afterRequests.Handback.Reason));

        (await plugin.IncidentAsync("resolve", "web-down", "--reason", "failed over to the replica")).ShouldSucceed();
        var resolved = (await IncidentAsync(cluster, "web-down")).Spec.Resolution!;
        Assert.Equal((ResolutionOutcome.Resolved, "failed over to the replica", "kubernetes-admin"), (resolved.Outcome, resolved.Reason, resolved.By));

        (await plugin.IncidentAsync("reopen", "web-down", "--reason", "errors are back")).ShouldSucceed();
        Assert.Equal("errors are back", (await IncidentAsync(cluster, "web-down")).Spec.Reopen!.Reason);

        (await plugin.IncidentAsync("cancel", "web-down", "--reason", "a load test, not users")).ShouldSucceed();
        var cancelled = (await IncidentAsync(cluster, "web-down")).Spec.Resolution!;
        Assert.Equal((ResolutionOutcome.Cancelled, "a load test, not users"), (cancelled.Outcome, cancelled.Reason));
    }

    [Fact]
    public async Task A_write_that_loses_a_race_is_built_again_from_a_fresh_read()
    {
        var (cluster, plugin) = await StartAsync();
        await using var _ = cluster;
        (await plugin.IncidentAsync("declare", "--name", "web-down", "--target", "web", "--severity", "SEV-2", "--summary", "web is down")).ShouldSucceed();
        (await plugin.IncidentAsync("note", "web-down", "first")).ShouldSucceed();
        cluster.Cluster.Hooks.ClearAuditLog();
        using var conflict = cluster.Cluster.Hooks.InjectFault(new FaultRule { Verb = "patch", Resource = Incident.Plural, StatusCode = 409, Times = 1 });

        (await plugin.IncidentAsync("note", "web-down", "second")).ShouldSucceed();
        var audit = cluster.Cluster.Hooks.AuditLog;

        Assert.Equal([("get", 200), ("patch", 409), ("get", 200), ("patch", 200)], audit.Where(r => r.Resource == Incident.Plural).Select(r => (r.Verb, r.StatusCode)));
        Assert.All(audit, r => Assert.Equal("kubectl-incident", r.UserAgent));
        Assert.Equal(["first", "second"], (await IncidentAsync(cluster, "web-down")).Spec.Notes!.Select(n => n.Text));
    }

    [Fact]
    public async Task Json_and_yaml_output_print_the_objects_and_the_timeline_prints_the_story()
    {
        var (cluster, plugin) = await StartAsync();
        await using var _ = cluster;
        (await plugin.IncidentAsync("declare", "--name", "web-down", "--target", "web", "--severity", "SEV-2", "--summary", "web is down")).ShouldSucceed();
        (await cluster.KubectlAsync("patch", "incident", "web-down", "--subresource=status", "--type=merge", "-p",
            """{"status":{"timeline":[{"time":"2026-12-08T03:00:00Z","type":"Detected","message":"web is down"},{"time":"2026-12-08T03:01:00Z","type":"Action","message":"rolled back"}]}}""")).ShouldSucceed();

        var acked = JsonNode.Parse((await plugin.IncidentAsync("ack", "web-down", "-o", "json")).ShouldSucceed().Stdout)!;
        var board = (await plugin.IncidentAsync("board", "-A", "-o", "yaml")).ShouldSucceed().Stdout;
        var timeline = (await plugin.IncidentAsync("timeline", "web-down")).ShouldSucceed().Stdout;

        Assert.Equal("kubernetes-admin", acked["spec"]!["acknowledgement"]!["by"]!.GetValue<string>());
        Assert.StartsWith("apiVersion: v1\nkind: List\nitems:\n- apiVersion: incidentresponder.dev/v1alpha1\n  kind: Incident\n", board, StringComparison.Ordinal);
        Assert.Contains("    name: web-down\n", board, StringComparison.Ordinal);
        Assert.Matches(@"^TIME\s+TYPE\s+MESSAGE\n2026-12-08T03:00:00Z\s+Detected\s+web is down\n2026-12-08T03:01:00Z\s+Action\s+rolled back\n$", timeline);
    }

    [Fact]
    public async Task Install_for_dotnet_hosting_runs_the_dll_with_the_dotnet_host()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("the launcher is a POSIX shell script");
            return;
        }

        var directory = Directory.CreateTempSubdirectory("plugin-install-");
        try
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "incident-responder.dll");
            var dotnet = ProcessRunner.Find("dotnet", "DOTNET_HOST_PATH") ?? Environment.ProcessPath!;
            (await ProcessRunner.RunAsync(dotnet, [dll, "plugin", "install", "--dir", directory.FullName])).ShouldSucceed();

            var launcher = await File.ReadAllTextAsync(Path.Combine(directory.FullName, "kubectl-incident"), TestContext.Current.CancellationToken);

            Assert.Equal($"exec '{dotnet}' '{dll}' incident \"$@\"", launcher.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
            Assert.True(File.GetUnixFileMode(Path.Combine(directory.FullName, "kubectl-incident")).HasFlag(UnixFileMode.UserExecute));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
